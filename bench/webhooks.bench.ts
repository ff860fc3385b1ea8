import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { createApp } from '../src/app.factory';
import { resetConfigCache } from '../src/config/config';
import { TransactionService } from '../src/database/transaction.service';
import { EventsService } from '../src/modules/events/events.service';
import { RequestContext } from '../src/platform/context/request-context';
import { WorkerModule } from '../src/worker.module';
import { WebhookReceiver } from '../test/support/webhook-receiver';
import { percentile } from './database';
import type { Answer } from './http-app';

const EVENTS = 1000;

/**
 * Signed deliveries per second from one worker to a local receiver, and commit-to-delivery latency:
 * (a) 1,000 events committed at once (throughput), (b) 200 events committed one by one 20 ms apart
 * (latency under no load). Baseline: the receiver's own floor, a tight loop of plain POSTs to it.
 */
export async function benchWebhooks(): Promise<void> {
  process.env.QUEUE_PREFIX = `cbapibench${process.pid}`;
  process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';
  resetConfigCache();
  const app = await createApp();
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  const receiver = new WebhookReceiver();
  const url = await receiver.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    const signUp = (await fetch(`${base}/api/v1/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password' }),
    }).then((r) => r.json())) as Answer<'SignUpResult'>;
    await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${signUp.data.access_token}` },
      body: JSON.stringify({ url, events: ['customer.created'] }),
    });
    const ctx = RequestContext.system('bench', signUp.data.tenant.id, 'live');
    const events = app.get(EventsService);
    const tx = app.get(TransactionService);

    // Baseline: plain POSTs, 20 in flight, no signing, no database.
    const baselineStart = performance.now();
    for (let i = 0; i < EVENTS / 20; i++) {
      await Promise.all(Array.from({ length: 20 }, () => fetch(url, { method: 'POST', body: '{}' })));
    }
    const baselineRate = EVENTS / ((performance.now() - baselineStart) / 1000);
    receiver.received.length = 0;

    // Throughput: 1,000 events in one commit.
    const committedAt = new Map<string, number>();
    await tx.run(ctx, async (t) => {
      for (let i = 0; i < EVENTS; i++) committedAt.set(await events.record(t, 'customer.created', { id: `cus_${i}` }), 0);
    });
    const commit = Date.now();
    await receiver.waitFor(() => receiver.eventIds().size >= EVENTS, 120000);
    const seconds = (Math.max(...receiver.received.map((r) => r.receivedAt)) - commit) / 1000;
    const burstLatencies = receiver.received.map((r) => r.receivedAt - commit).sort((a, b) => a - b);
    receiver.received.length = 0;

    // Latency: single events, one commit each.
    const single = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const id = await tx.run(ctx, (t) => events.record(t, 'customer.created', { id: `cus_s${i}` }));
      single.set(id, Date.now());
      await new Promise((r) => setTimeout(r, 20));
    }
    await receiver.waitFor(() => receiver.eventIds().size >= 200, 60000);
    const latencies = receiver.received.map((r) => r.receivedAt - single.get(String(r.headers['webhook-id']))!).sort((a, b) => a - b);

    console.log('\n### Webhook delivery (one worker, receiver on 127.0.0.1)\n');
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| baseline: plain POSTs to the receiver, 20 in flight | ${Math.round(baselineRate)} /s |`);
    console.log(`| signed deliveries, ${EVENTS} events committed at once | ${Math.round(EVENTS / seconds)} /s (${(EVENTS / seconds / baselineRate).toFixed(2)}× baseline) |`);
    console.log(`| burst: commit → delivery p50 / p99 | ${percentile(burstLatencies, 50)} ms / ${percentile(burstLatencies, 99)} ms |`);
    console.log(`| single events: commit → delivery p50 / p99 (200 events) | ${percentile(latencies, 50)} ms / ${percentile(latencies, 99)} ms |`);
  } finally {
    await receiver.stop();
    await worker.close();
    await app.close();
  }
}

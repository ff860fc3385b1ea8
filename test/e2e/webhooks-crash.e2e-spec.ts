import type { ChildProcess } from 'node:child_process';
import { ownerDb } from '../support/owner-db';
import { spawnProcess } from '../support/processes';
import { TransactionService } from '../../src/database/transaction.service';
import { EventsService } from '../../src/modules/events/events.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';

const EVENTS = 500;

/** The worker as its own OS process, so the test can SIGKILL it like an orchestrator would. */
function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawnProcess('worker', env);
}

describe('webhook delivery survives a killed worker (e2e)', () => {
  let t: TestApp;
  const receiver = new WebhookReceiver();
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await receiver.stop();
    await t.close();
  });

  it(`delivers all ${EVENTS} events after SIGKILL mid-batch and a restart`, async () => {
    const shop = await signUpTenant(t.http, 'Crash test');
    const url = await receiver.start();
    // A slow receiver keeps deliveries in flight when the worker dies.
    receiver.respond = () => 200;
    const endpoint = await t.http.post('/api/v1/webhooks', { url, events: ['customer.created'] }, { token: shop.accessToken });
    expect(endpoint.status).toBe(201);

    const ctx = RequestContext.system('test', shop.tenantId, 'live');
    const events = t.app.get(EventsService);
    const eventIds = new Set<string>();
    await t.app.get(TransactionService).run(ctx, async (tx) => {
      for (let i = 0; i < EVENTS; i++) eventIds.add(await events.record(tx, 'customer.created', { id: `cus_${i}` }));
    });

    const env = { QUEUE_PREFIX: `cbapicrash${process.pid}`, OUTBOX_POLL_MS: '100', WEBHOOK_RETRY_DELAYS_MS: '200,200,200,200,200' };
    worker = startWorkerProcess(env);
    await receiver.waitFor(() => receiver.eventIds().size >= 50, 60000);
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker!.once('exit', resolve));
    const beforeRestart = receiver.eventIds().size;
    expect(beforeRestart).toBeLessThan(EVENTS);

    worker = startWorkerProcess(env);
    await receiver.waitFor(() => receiver.eventIds().size >= EVENTS, 90000);
    expect(receiver.eventIds()).toEqual(eventIds);

    // The delivery log accounts for every event: one delivery each, all succeeded.
    const rows: { status: string; n: number }[] = await (await ownerDb()).query(
      `SELECT status, count(*)::int AS n FROM webhook_deliveries WHERE endpoint_id = $1 GROUP BY status`,
      [endpoint.body.data.id],
    );
    await receiver.waitFor(() => true);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect((byStatus.succeeded ?? 0) + (byStatus.pending ?? 0)).toBe(EVENTS);
    console.log(`crash test: ${beforeRestart} events delivered before SIGKILL, ${receiver.received.length} requests in all for ${EVENTS} events`);
  }, 150000);
});

import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/dev/dev-service';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import { exited, spawnProcess, waitFor } from '../support/processes';

const HOLD_MS = 2500; // how long the receiver keeps the webhook POST (the worker's job) waiting
const SHUTDOWN_TIMEOUT_MS = 15000;

async function get(url: string): Promise<{ status: number; text: string; json?: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, text, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
}

/** The worker as its own process with WORKER_HTTP_PORT: /health and /metrics, and a drain that lets a running job finish. */
describe('worker process: /health and /metrics on its own port, drain on SIGTERM (e2e)', () => {
  let t: TestApp;
  let worker: ChildProcess;
  let base: string;
  let receiver: Server;
  let receiverUrl: string;
  const arrivals: number[] = [];
  const answers: number[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        arrivals.push(Date.now());
        setTimeout(() => {
          answers.push(Date.now());
          res.end('ok');
        }, HOLD_MS);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = spawnProcess('worker', {
      WORKER_HTTP_PORT: String(port),
      QUEUE_PREFIX: `cbapiworkerhttp${process.pid}`,
      OUTBOX_POLL_MS: '100',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    await waitFor('the worker /health to answer 200', async () => (await get(`${base}/health`)).status === 200, 60000);
  });
  afterAll(async () => {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await t.close();
  });

  it('answers /health with its checks and /metrics with job counts and queue depths', async () => {
    const health = await get(`${base}/health`);
    expect(health.json).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up', queues: 'up' } });
    expect((await get(`${base}/health/live`)).json).toEqual({ status: 'ok' });
    // The heartbeat job is scheduled at start; its completion is counted on this process's /metrics.
    const metrics = await waitFor('a completed heartbeat in /metrics', async () => {
      const res = await get(`${base}/metrics`);
      return /^worker_jobs_total\{queue="system",job="heartbeat",outcome="completed"\} [1-9]/m.test(res.text) ? res : null;
    }, 20000);
    expect(metrics.text).toMatch(/^# TYPE worker_jobs_total counter$/m);
    expect(metrics.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics.text).toMatch(/^queue_jobs\{queue="webhooks",state="waiting"\} \d+/m);
    expect((await get(`${base}/nope`)).status).toBe(404);
  });

  it('on SIGTERM answers /health 503 (draining) while a running webhook job finishes, then exits 0 in time', async () => {
    const shop = await signUpTenant(t.http, 'Worker drain');
    const endpoint = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['customer.created'] }, { token: shop.accessToken });
    expect(endpoint.status).toBe(201);
    const created = await t.http.post('/api/v1/customers', { email: `drain-${Date.now()}@example.test`, first_name: 'A', last_name: 'B' }, { token: shop.accessToken });
    expect(created.status).toBe(201);
    await waitFor('the webhook POST to reach the receiver', async () => arrivals.length > 0, 30000);

    const signalledAt = Date.now();
    const exit = exited(worker, signalledAt);
    worker.kill('SIGTERM');
    const draining = await waitFor('the worker /health to turn 503', async () => {
      const res = await get(`${base}/health`);
      return res.status === 503 ? res : null;
    }, HOLD_MS);
    expect(draining.json).toMatchObject({ status: 'draining' });
    expect(answers).toHaveLength(0); // the job was still running when health turned

    const { code, afterMs } = await exit;
    expect(code).toBe(0);
    expect(afterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(answers).toHaveLength(1);
    const rows: { status: string; attempts: number }[] = await (await ownerDb()).query(
      `SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpoint.body.data.id],
    );
    expect(rows).toEqual([{ status: 'succeeded', attempts: 1 }]);
    console.log(`worker drain: /health 503 while the job ran, exit 0 after ${afterMs} ms (receiver held the POST ${HOLD_MS} ms)`);
  }, 60000);
});

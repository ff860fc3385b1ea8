import type { ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { freePort } from '../../src/dev/dev-service';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import { exited, spawnProcess, waitFor } from '../support/processes';

const DRAIN_DELAY_MS = 1500;
const SHUTDOWN_TIMEOUT_MS = 8000;

async function get(url: string): Promise<{ status: number; headers: Record<string, string>; text: string; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Prometheus text
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), text, body };
}

/**
 * A POST whose body arrives in two parts: the request is in flight (headers read, body pending)
 * for as long as the test holds the second part back.
 */
function slowPost(url: string, token: string, body: object) {
  const raw = Buffer.from(JSON.stringify(body));
  const req = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { 'Content-Type': 'application/json', 'Content-Length': String(raw.length), Authorization: `Bearer ${token}` },
  });
  const response = new Promise<{ status: number; headers: Record<string, string>; body: unknown }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
  });
  const sent = new Promise<void>((resolve, reject) => req.write(raw.subarray(0, 10), (err) => (err ? reject(err) : resolve())));
  return { response, sent, finish: () => req.end(raw.subarray(10)) };
}

/** The API as its own process: SIGTERM drains (readiness 503 first, in-flight requests finish, exit 0 in time); /metrics on its own port. */
describe('API process: graceful drain on SIGTERM and the metrics port (e2e)', () => {
  let t: TestApp;
  let api: ChildProcess;
  let base: string;
  let metricsBase: string;

  beforeAll(async () => {
    t = await startTestApp(); // signs up the tenant; same database and secrets as the child
    const [port, metricsPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    metricsBase = `http://127.0.0.1:${metricsPort}`;
    api = spawnProcess('main', {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    await waitFor('the API process to get ready', async () => (await get(`${base}/health/ready`)).status === 200, 60000);
  });
  afterAll(async () => {
    if (api.exitCode === null && api.signalCode === null) api.kill('SIGKILL');
    await t.close();
  });

  it('serves /metrics on METRICS_PORT only; the public port answers 404 there', async () => {
    await get(`${base}/health/live`);
    const moved = await get(`${base}/metrics`);
    expect(moved.status).toBe(404);
    assertMatchesSpec('GET', '/metrics', moved);
    const scrape = await get(`${metricsBase}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    expect(scrape.text).toMatch(/^http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+$/m);
    expect(scrape.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect((await get(`${metricsBase}/health/ready`)).status).toBe(404); // the metrics port serves nothing else
  });

  it('on SIGTERM answers readiness 503 first, finishes the request in flight, then exits 0 within SHUTDOWN_TIMEOUT_MS', async () => {
    const shop = await signUpTenant(t.http, 'Drain test');
    const email = `drain-${Date.now()}@example.test`;
    const slow = slowPost(`${base}/api/v1/customers`, shop.accessToken, { email, first_name: 'Slow', last_name: 'Client' });
    // The headers and the first bytes are on the wire: the request is in flight. The listener stays
    // open for the drain delay after SIGTERM, ample time for the server to read them.
    await slow.sent;

    const signalledAt = Date.now();
    const exit = exited(api, signalledAt);
    api.kill('SIGTERM');

    const draining = await waitFor('readiness to turn 503', async () => {
      const res = await get(`${base}/health/ready`);
      return res.status === 503 ? res : null;
    }, DRAIN_DELAY_MS);
    const turnedAfterMs = Date.now() - signalledAt;
    expect(draining.body).toMatchObject({ status: 'draining', checks: { database: 'up', redis: 'up' } });
    assertMatchesSpec('GET', '/health/ready', draining);
    // Still serving during the drain delay: liveness and other requests answer as usual.
    expect((await get(`${base}/health/live`)).status).toBe(200);

    // Past the drain delay the listener is closed: new connections are refused, the slow request is still open.
    await waitFor('the listener to close', async () => get(`${base}/health/live`).then(() => false, () => true), SHUTDOWN_TIMEOUT_MS);
    const closedAfterMs = Date.now() - signalledAt;
    expect(closedAfterMs).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    expect(api.exitCode).toBeNull();

    slow.finish();
    const created = await slow.response;
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ data: { email } });
    assertMatchesSpec('POST', '/api/v1/customers', created);

    const { code, afterMs } = await exit;
    expect(code).toBe(0);
    expect(afterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    // The customer the in-flight request created is there (read through the in-process app).
    const listed = await t.http.get('/api/v1/customers', { token: shop.accessToken, query: { email } });
    expect(listed.body.data).toHaveLength(1);
    console.log(`drain: readiness 503 after ${turnedAfterMs} ms, listener closed after ${closedAfterMs} ms, in-flight POST answered 201 after that, exit 0 after ${afterMs} ms`);
  }, 30000);
});

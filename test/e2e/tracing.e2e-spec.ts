import { randomUUID } from 'node:crypto';
import { startApiProcess, startWorkerProcess, waitFor, type ServiceProcess } from '../support/child-processes';
import { parseConsoleSpans, type PrintedSpan } from '../support/console-spans';
import { WebhookReceiver } from '../support/webhook-receiver';

const SERVER = 1;
const CLIENT = 2;

/**
 * Issue 14 item 5: one trace from an API request through the outbox row and the queue job to the
 * webhook POST. The API and the worker run as their own processes (as deployed) with the console
 * exporter, so the test reads the spans they print and the traceparent the receiver got.
 */
describe('tracing: API request → outbox → queue job → webhook POST (e2e, child processes)', () => {
  const receiver = new WebhookReceiver();
  let api: ServiceProcess | undefined;
  let worker: ServiceProcess | undefined;

  afterAll(async () => {
    await Promise.all([api?.kill(), worker?.kill()]);
    await receiver.stop();
  });

  it('the webhook carries the traceparent of the POST /products request; its log lines carry the same trace_id', async () => {
    const env = {
      OTEL_TRACES_EXPORTER: 'console',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: `cbapitrace${process.pid}`,
      OUTBOX_POLL_MS: '100',
      DATABASE_POOL_SIZE: '5',
    };
    [api, worker] = await Promise.all([
      startApiProcess('api', env, { captureStdout: true }),
      Promise.resolve(startWorkerProcess('worker', env, { captureStdout: true })),
    ]);
    const call = async (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${api!.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { data: { id: string; access_token: string } } }; // a created product's id, the sign-up's token
    };

    const signUp = await call('POST', '/api/v1/tenants', { name: 'Traced shop', email: `owner-${randomUUID()}@example.test`, password: 'correct-horse-battery' });
    expect(signUp.status).toBe(201);
    const auth = { authorization: `Bearer ${signUp.body.data.access_token}` };
    const hookUrl = await receiver.start();
    expect((await call('POST', '/api/v1/webhooks', { url: hookUrl, events: ['product.created'] }, auth)).status).toBe(201);

    const requestId = `trace-test-${randomUUID()}`;
    const created = await call('POST', '/api/v1/products', { name: 'Traced lamp', sku: `TR-${randomUUID().slice(0, 8)}`, price: 4200 }, { ...auth, 'x-request-id': requestId });
    expect(created.status).toBe(201);

    await receiver.waitFor(() => receiver.received.some((r) => JSON.parse(r.body).data?.object?.id === created.body.data.id), 60_000);
    const webhook = receiver.received.find((r) => JSON.parse(r.body).data.object.id === created.body.data.id)!;
    const traceparent = String(webhook.headers.traceparent ?? '');
    const [, traceId, postSpanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(traceparent) ?? [];
    expect(traceId).toBeDefined();

    // The API printed the request's server span, named by its route template, in the same trace.
    const apiSpans = await waitFor('the server span of POST /products', () => {
      const spans = parseConsoleSpans(api!.stdout);
      return spans.some((s) => s.kind === SERVER && s.name === 'POST /api/v1/products') && spans;
    }, 10_000);
    const serverSpan = apiSpans.find((s) => s.kind === SERVER && s.name === 'POST /api/v1/products')!;
    expect(serverSpan.attributes['http.route']).toBe('/api/v1/products');
    expect(serverSpan.traceId).toBe(traceId);

    // Every log line of that request carries the trace id.
    const requestLines = api.logLines().filter((l) => l.request_id === requestId);
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.map((l) => l.trace_id)).toEqual(requestLines.map(() => traceId));

    // The worker's spans chain up: HTTP POST (whose id the receiver got) ← webhook.deliver ← job ← relay ← the request.
    // (A parent span is printed when it ends, after its children: wait for the whole chain.)
    const chainFromPost = () => {
      const byId = new Map<string, PrintedSpan>([...apiSpans, ...parseConsoleSpans(worker!.stdout)].map((s) => [s.id, s]));
      const names: string[] = [];
      for (let span = byId.get(postSpanId); span; span = span.parentId ? byId.get(span.parentId) : undefined) names.push(`${span.kind}:${span.name}`);
      return names;
    };
    const chain = await waitFor('the span chain from the webhook POST to the request', () => {
      const names = chainFromPost();
      return names[names.length - 1] === `${SERVER}:POST /api/v1/products` && names;
    }, 15_000).catch(() => chainFromPost());
    expect(chain[0]).toBe(`${CLIENT}:POST`);
    expect(chain).toEqual(expect.arrayContaining(['0:webhook.deliver', '4:process webhooks', '3:add webhooks.deliver', '4:outbox.relay product.created', `${SERVER}:POST /api/v1/products`]));
    expect(chain[chain.length - 1]).toBe(`${SERVER}:POST /api/v1/products`);
    console.log(`tracing: trace ${traceId}: ${chain.join(' ← ')}`);
  }, 150_000);
});

import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/** Requests a well-behaved HTTP client library would refuse to send, so they go through Fastify's inject or a raw socket. */
describe('hostile input gets a clean 4xx in the envelope (e2e)', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    const tenant = await signUpTenant(t.http);
    key = (await createApiKey(t.http, tenant.accessToken, { access: 'read_write' })).secret;
  });
  afterAll(() => t.close());

  async function inject(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: string, contentType = 'application/json') {
    const fastify = t.app.getHttpAdapter().getInstance();
    const res = await fastify.inject({ method, url, payload, headers: { authorization: `Bearer ${key}`, 'content-type': contentType } });
    return { status: res.statusCode, requestId: res.headers['x-request-id'], body: res.json() };
  }

  function expectEnvelope(res: { requestId: unknown; body: { error: { code: string; request_id: string }; meta: { request_id: string } } }, code: string) {
    expect(res.body.error.code).toBe(code);
    expect(res.requestId).toEqual(expect.stringMatching(/^req_/));
    expect(res.body.error.request_id).toBe(res.requestId);
    expect(res.body.meta.request_id).toBe(res.requestId);
  }

  it('an undecodable %-escape or an over-long id in the path is a malformed id: 404 not_found', async () => {
    const badEscape = await inject('GET', '/api/v1/services/svc_%E0%A4%A');
    expect(badEscape.status).toBe(404);
    expectEnvelope(badEscape, 'not_found');
    const tooLong = await inject('GET', `/api/v1/products/${'x'.repeat(150)}`);
    expect(tooLong.status).toBe(404);
    expectEnvelope(tooLong, 'not_found');
    const nulInId = await inject('GET', '/api/v1/products/sku%00x');
    expect(nulInId.status).toBe(404);
    expectEnvelope(nulInId, 'not_found');
  });

  it('NUL and lone surrogates in a body or query string → 422 naming the field; nothing is created', async () => {
    const nul = await inject('POST', '/api/v1/customers', JSON.stringify({ email: 'nul@example.com', first_name: 'a\u0000b', last_name: 'x' }));
    expect(nul.status).toBe(422);
    expectEnvelope(nul, 'validation_error');
    expect(nul.body.error.field).toBe('first_name');

    const surrogate = await inject('POST', '/api/v1/customers', '{"email":"s@example.com","first_name":"ok","last_name":"x","tags":["fine","\\ud800"]}');
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.error.field).toBe('tags[1]');

    const query = await inject('GET', '/api/v1/customers?name=%00');
    expect(query.status).toBe(422);
    expect(query.body.error.field).toBe('name');

    const list = await inject('GET', '/api/v1/customers?email=nul%40example.com');
    expect(list.body.data).toEqual([]);
  });

  it('10,000 nested arrays → 400 invalid_request, the process keeps serving', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const res = await inject('POST', '/api/v1/customers', `{"email":"d@example.com","first_name":"a","last_name":"x","tags":${deep}}`);
    expect(res.status).toBe(400);
    expectEnvelope(res, 'invalid_request');
    expect((await inject('GET', '/api/v1/customers')).status).toBe(200);
  });

  it('a body over the limit → 413, an unsupported content type → 415, both in the envelope', async () => {
    const big = await inject('POST', '/api/v1/customers', `{"email":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect(big.status).toBe(413);
    expectEnvelope(big, 'invalid_request');
    const text = await inject('POST', '/api/v1/customers', 'email=a', 'text/plain');
    expect(text.status).toBe(415);
    expectEnvelope(text, 'invalid_request');
  });

  it('headers over the limit (431) are answered in the envelope with a request id, on a raw socket', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET /api/v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`);
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', (err) => (data ? resolve(data) : reject(err)));
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    const requestId = /X-Request-Id: (\S+)/i.exec(head)?.[1];
    expect(requestId).toMatch(/^req_/);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'invalid_request', message: 'Request headers are too large', request_id: requestId },
      meta: { request_id: requestId },
    });
  });
});

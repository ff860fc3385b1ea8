import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import { redactSecretFields } from './redact-fields';
import { requestLoggerOptions } from './request-logger-options';

describe('request logging redaction', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logRequest = pinoHttp(requestLoggerOptions({ LOG_LEVEL: 'info' }), sink);
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      logRequest(req, res);
      req.log.info({ body: { email: 'a@example.com', password: 'hunter2', card: { number: '4242424242424242' } } }, 'signing up');
      req.log.child({ client: { secret: 'cs_live_1', name: 'shop' } }).warn('client rejected');
      res.setHeader('set-cookie', 'refresh=rt_s3cret; HttpOnly');
      res.setHeader('location', '/pay/tok_abc');
      res.statusCode = 302;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('blanks secret fields, request headers, Set-Cookie and hosted-page URLs, and keeps the rest', async () => {
    await fetch(`${base}/api/v1/x?api_key=ck_live_1&page=2`, { headers: { authorization: 'Bearer ck_live_2', cookie: 'sid=c00kie', 'x-api-key': 'ck_live_3' }, redirect: 'manual' });
    for (let i = 0; i < 100 && !lines.some((l) => l.includes('"statusCode"')); i++) await new Promise((r) => setTimeout(r, 10));
    const [signup, rejected, completed] = lines.map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    expect(signup.body).toEqual({ email: 'a@example.com', password: '[redacted]', card: '[redacted]' });
    expect(rejected.client).toEqual({ secret: '[redacted]', name: 'shop' });
    expect(completed.req).toEqual({ id: expect.anything(), method: 'GET', url: '/api/v1/x?api_key=[redacted]&page=2' });
    expect(completed.res).toMatchObject({ statusCode: 302, headers: { 'set-cookie': '[redacted]', location: '/pay/[redacted]' } });
    const all = lines.join('');
    for (const secret of ['hunter2', '4242424242424242', 'cs_live_1', 'ck_live_', 'c00kie', 'rt_s3cret', 'tok_abc']) expect(all).not.toContain(secret);
  });

  it('passes a line without secret fields through as it is, and withholds one it cannot read', () => {
    const plain = '{"level":30,"msg":"fine","res":{"statusCode":200}}\n';
    expect(redactSecretFields(plain)).toBe(plain);
    expect(redactSecretFields('{"x":{"password":"p"}} trailing\n')).not.toContain('"p"');
    expect(JSON.parse(redactSecretFields('{"user":{"access_token":"a","refresh_token":"r","cvc":"1"},"password":"top"}\n'))).toEqual({
      user: { access_token: '[redacted]', refresh_token: '[redacted]', cvc: '[redacted]' },
      password: 'top',
    });
  });
});

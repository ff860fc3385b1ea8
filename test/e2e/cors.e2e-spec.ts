import request from 'supertest';
import { ownerDb } from '../support/owner-db';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

const APP = 'https://app.example.test';
const COOKIE_APP = 'https://cookie-app.example.test';
const STRANGER = 'https://evil.example.test';

/** Every CORS header a response carries (none, for an origin or path outside the allow-list). */
function corsHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-')).sort();
}

describe('CORS on /api/v1 (e2e)', () => {
  let t: TestApp;
  let key: string;
  const server = () => t.app.getHttpServer();
  const preflight = (path: string, origin: string, method = 'POST', headers = 'authorization,content-type,idempotency-key') =>
    request(server()).options(path).set('Origin', origin).set('Access-Control-Request-Method', method).set('Access-Control-Request-Headers', headers);

  beforeAll(async () => {
    process.env.CORS_ORIGINS = `${APP},${COOKIE_APP}`;
    process.env.CORS_CREDENTIALS_ORIGINS = COOKIE_APP;
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'CORS shop');
    // A small write limit, set before the tenant's first authenticated request (limits are cached briefly).
    await (await ownerDb()).query('UPDATE tenants SET rate_limit_writes = 3 WHERE id = $1', [shop.tenantId]);
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
  });
  afterAll(async () => {
    delete process.env.CORS_ORIGINS;
    delete process.env.CORS_CREDENTIALS_ORIGINS;
    await t.close();
  });

  it('answers a preflight from an allowed origin with 204, the allowed methods and headers, and no credentials', async () => {
    const res = await preflight('/api/v1/orders', APP);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT, PATCH, DELETE');
    expect(res.headers['access-control-allow-headers'].split(', ')).toEqual(
      expect.arrayContaining(['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id', 'X-CSRF-Token']),
    );
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
    // Answered before any guard: no credential needed, no rate-limit bucket touched.
    expect(res.headers['x-ratelimit-remaining']).toBeUndefined();
  });

  it('lets an allowed origin read the exposed headers of a real response', async () => {
    const res = await t.http.get('/api/v1/auth/me', { token: key, headers: { Origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
    expect(res.headers['access-control-expose-headers'].split(', ')).toEqual([
      'X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After', 'Idempotent-Replayed', 'Warning',
    ]);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows credentials only for the cookie-transport origins', async () => {
    const res = await preflight('/api/v1/auth/refresh', COOKIE_APP, 'POST', 'x-csrf-token,x-refresh-token-transport');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(COOKIE_APP);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const get = await t.http.get('/api/v1/auth/me', { token: key, headers: { Origin: COOKIE_APP } });
    expect(get.headers['access-control-allow-credentials']).toBe('true');
  });

  it('gives a disallowed origin no CORS header at all, on preflights and on real requests', async () => {
    const pre = await preflight('/api/v1/orders', STRANGER);
    expect(pre.status).not.toBe(204);
    expect(corsHeaders(pre.headers)).toEqual([]);
    const get = await t.http.get('/api/v1/auth/me', { token: key, headers: { Origin: STRANGER } });
    expect(get.status).toBe(200); // the server answers; the browser withholds it from the page
    expect(corsHeaders(get.headers)).toEqual([]);
    // Prefix look-alikes are not the origin.
    const lookalike = await t.http.get('/api/v1/auth/me', { token: key, headers: { Origin: `${APP}.evil.test` } });
    expect(corsHeaders(lookalike.headers)).toEqual([]);
    const nullOrigin = await t.http.get('/api/v1/auth/me', { token: key, headers: { Origin: 'null' } });
    expect(corsHeaders(nullOrigin.headers)).toEqual([]);
  });

  it('keeps CORS off the hosted pages, the docs and the probes, even for an allowed origin', async () => {
    for (const path of ['/pay/not-a-real-token-but-long-enough-to-look-like-one-xx', '/r/unknown', '/docs/openapi.json', '/health/live']) {
      const get = await request(server()).get(path).set('Origin', APP);
      expect({ path, cors: corsHeaders(get.headers) }).toEqual({ path, cors: [] });
      const pre = await preflight(path, APP, 'GET', 'authorization');
      expect({ path, cors: corsHeaders(pre.headers) }).toEqual({ path, cors: [] });
    }
  });

  it('never counts a preflight against the write bucket: 20 preflights, then the first POST has capacity − 1 left', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => preflight('/api/v1/customers', APP)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(204));
    const post = await t.http.post('/api/v1/customers', { email: 'cors-buyer@example.test', first_name: 'C', last_name: 'Ors' }, {
      token: key,
      headers: { Origin: APP },
    });
    expect(post.status).toBe(201);
    expect(post.headers['x-ratelimit-limit']).toBe('6');
    expect(post.headers['x-ratelimit-remaining']).toBe('5');
  });
});

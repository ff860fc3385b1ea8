import type { Res } from '../support/http-client';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';

const COOKIE = { 'X-Refresh-Token-Transport': 'cookie' };

/** name → the whole Set-Cookie line, from one response. */
function setCookies(res: Res): Map<string, string> {
  const lines = [res.headers['set-cookie'] ?? []].flat() as string[];
  return new Map(lines.map((line) => [line.slice(0, line.indexOf('=')), line]));
}
const valueOf = (line: string | undefined) => line?.slice(line.indexOf('=') + 1).split(';')[0];

interface Session {
  access: string;
  refresh: string;
  csrf: string;
}

describe('refresh token in an HttpOnly cookie, with double-submit CSRF (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;

  function session(res: Res): Session {
    const cookies = setCookies(res);
    return { access: res.body.data.access_token, refresh: valueOf(cookies.get('refresh_token'))!, csrf: valueOf(cookies.get('csrf_token'))! };
  }
  async function login(): Promise<Session> {
    const res = await t.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password }, { headers: COOKIE });
    expect(res.status).toBe(200);
    return session(res);
  }
  const cookieHeader = (s: Partial<Session>) =>
    [s.refresh && `refresh_token=${s.refresh}`, s.csrf && `csrf_token=${s.csrf}`].filter(Boolean).join('; ');
  const refresh = (s: Partial<Session>, csrfHeader?: string) =>
    t.http.post('/api/v1/auth/refresh', undefined, { headers: { Cookie: cookieHeader(s), ...(csrfHeader ? { 'X-CSRF-Token': csrfHeader } : {}) } });

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Cookie shop');
  });
  afterAll(() => t.close());

  it('logs in with the refresh token in an HttpOnly, Secure, SameSite=Strict cookie scoped to /api/v1/auth, not in the body', async () => {
    const res = await t.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password }, { headers: COOKIE });
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('refresh_token');
    expect(res.body.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, csrf_token: expect.any(String) });
    const cookies = setCookies(res);
    const refreshCookie = cookies.get('refresh_token')!.split('; ');
    expect(refreshCookie[0]).toMatch(/^refresh_token=crt_/);
    expect(refreshCookie.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/api/v1/auth', 'SameSite=Strict', 'Secure']);
    const csrfCookie = cookies.get('csrf_token')!.split('; ');
    expect(csrfCookie[0]).toBe(`csrf_token=${res.body.data.csrf_token}`);
    expect(csrfCookie.slice(1).sort()).toEqual(['Max-Age=2592000', 'Path=/', 'SameSite=Strict', 'Secure']); // readable by the app
    // Without the header, the body transport as before, and no cookie.
    const plain = await t.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password });
    expect(plain.body.data.refresh_token).toMatch(/^crt_/);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes from the cookie with X-CSRF-Token: a new refresh cookie, the same CSRF token, a working access token', async () => {
    const s = await login();
    const res = await refresh(s, s.csrf);
    expect(res.status).toBe(200);
    expect(res.body.data).not.toHaveProperty('refresh_token');
    const next = session(res);
    expect(next.refresh).not.toBe(s.refresh);
    expect(next.csrf).toBe(s.csrf);
    expect(res.body.data.csrf_token).toBe(s.csrf);
    expect((await t.http.get('/api/v1/auth/me', { token: next.access })).status).toBe(200);
    expect((await refresh(next, next.csrf)).status).toBe(200);
  });

  it('answers 403 when the CSRF header is missing or differs, or the csrf cookie is missing, and rotates nothing', async () => {
    const s = await login();
    const cases = [refresh(s), refresh(s, `${s.csrf}x`), refresh(s, 'A'.repeat(43)), refresh({ refresh: s.refresh }, s.csrf)];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('authorization_error');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Nothing was rotated: the cookie still refreshes once, normally.
    expect((await refresh(s, s.csrf)).status).toBe(200);
  });

  it('gives concurrent cookie refreshes (two tabs share one cookie jar) the same successor', async () => {
    const s = await login();
    const answers = await Promise.all([1, 2, 3].map(() => refresh(s, s.csrf)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((r) => session(r).refresh)).size).toBe(1);
    expect(new Set(answers.map((r) => r.body.data.access_token)).size).toBe(1);
  });

  it('logs out with the cookie only with the CSRF header, then clears both cookies and ends the session', async () => {
    const s = await login();
    const forged = await t.http.delete('/api/v1/auth/logout', { token: s.access, headers: { Cookie: cookieHeader(s) } });
    expect(forged.status).toBe(403);
    expect((await t.http.get('/api/v1/auth/me', { token: s.access })).status).toBe(200);
    const out = await t.http.delete('/api/v1/auth/logout', { token: s.access, headers: { Cookie: cookieHeader(s), 'X-CSRF-Token': s.csrf } });
    expect(out.status).toBe(204);
    const cleared = setCookies(out);
    expect(cleared.get('refresh_token')).toMatch(/^refresh_token=; Path=\/api\/v1\/auth; Max-Age=0; HttpOnly; Secure; SameSite=Strict$/);
    expect(cleared.get('csrf_token')).toMatch(/^csrf_token=; Path=\/; Max-Age=0;/);
    expect((await refresh(s, s.csrf)).status).toBe(401);
    expect((await t.http.get('/api/v1/auth/me', { token: s.access })).status).toBe(401);
  });

  it('moves a body session into the cookie on request, and refuses a refresh that brings no token at all', async () => {
    const plain = await t.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password });
    const moved = await t.http.post('/api/v1/auth/refresh', { refresh_token: plain.body.data.refresh_token }, { headers: COOKIE });
    expect(moved.status).toBe(200);
    const s = session(moved);
    expect(s.refresh).toMatch(/^crt_/);
    expect(moved.body.data.csrf_token).toBe(s.csrf);
    expect((await refresh(s, s.csrf)).status).toBe(200);

    const none = await t.http.post('/api/v1/auth/refresh', undefined);
    expect(none.status).toBe(401);
    const bad = await t.http.post('/api/v1/auth/refresh', { refresh_token: 'crt_x' }, { headers: { 'X-Refresh-Token-Transport': 'jar' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('X-Refresh-Token-Transport');
  });
});

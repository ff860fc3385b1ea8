import { randomBytes, randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { IdentityRepository } from '../../src/modules/identity/identity.repository';
import type { Res } from '../support/http-client';

/** The per-IP bucket for unauthenticated and failed-auth requests, lowered for this file's app only. */
const UNAUTHENTICATED_PER_MINUTE = 40;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A client address of its own for each test (the app trusts one proxy hop), so buckets never collide. */
const freshIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 250)}`;
const randomLiveKey = () => `ck_live_${Array.from(randomBytes(32), (b) => ALPHANUMERIC[b % 62]).join('')}`;
/** The error body without the per-request id. */
const errorOf = (res: Res) => ({ status: res.status, code: res.body.error?.code, message: res.body.error?.message, field: res.body.error?.field, details: res.body.error?.details });

describe('brute force and floods (e2e)', () => {
  let t: TestApp;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [name, value] of Object.entries({ TRUST_PROXY_HOPS: '1', RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: String(UNAUTHENTICATED_PER_MINUTE) })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const login = (body: Record<string, unknown>, ip: string) => t.http.post('/api/v1/auth/login', body, { headers: { 'X-Forwarded-For': ip } });

  describe('login throttling', () => {
    it('15 parallel wrong passwords for one account: at most 5 are checked (401), the rest 429', async () => {
      const victim = await signUpTenant(t.http, 'Parallel brute force');
      const ip = freshIp();
      const results = await Promise.all(Array.from({ length: 15 }, (_, i) => login({ email: victim.email, password: `wrong-password-${i}` }, ip)));
      const statuses = results.map((r) => r.status);
      const unauthorized = statuses.filter((s) => s === 401).length;
      const limited = results.filter((r) => r.status === 429);
      if (process.env.REPORT_NUMBERS) console.log(`15 parallel wrong logins: ${unauthorized} × 401, ${limited.length} × 429`);
      expect(unauthorized).toBeLessThanOrEqual(5);
      expect(unauthorized + limited.length).toBe(15);
      for (const r of limited) {
        expect(r.body.error.code).toBe('rate_limit_exceeded');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      // Locked: even the right password waits out the window.
      expect((await login({ email: victim.email, password: victim.password }, freshIp())).status).toBe(429);
    });

    it("locks one tenant's account without locking the same e-mail in another tenant", async () => {
      const email = `shared-${randomUUID().slice(0, 8)}@example.test`;
      const left = await signUpTenant(t.http, 'Left');
      const right = await signUpTenant(t.http, 'Right');
      for (const shop of [left, right]) {
        expect((await t.http.post('/api/v1/users', { email, password: 'shared-password-1', role: 'staff' }, { token: shop.accessToken })).status).toBe(201);
      }
      const attacker = freshIp();
      const attempts = [];
      for (let i = 0; i < 7; i++) attempts.push((await login({ email, password: `guess-${i}-guess`, tenant_id: left.tenantId }, attacker)).status);
      expect(attempts).toEqual([401, 401, 401, 401, 401, 429, 429]);

      const ip = freshIp();
      expect((await login({ email, password: 'shared-password-1', tenant_id: left.tenantId }, ip)).status).toBe(429);
      expect((await login({ email, password: 'shared-password-1', tenant_id: right.tenantId }, ip)).status).toBe(200);
    });

    it('answers an unknown e-mail, an ambiguous e-mail and a wrong password identically, and throttles them alike', async () => {
      const email = `twice-${randomUUID().slice(0, 8)}@example.test`;
      const one = await signUpTenant(t.http, 'One');
      const two = await signUpTenant(t.http, 'Two');
      for (const shop of [one, two]) {
        expect((await t.http.post('/api/v1/users', { email, password: 'twice-password-1', role: 'staff' }, { token: shop.accessToken })).status).toBe(201);
      }
      const solo = await signUpTenant(t.http, 'Solo');
      const ip = freshIp();

      const wrongPassword = await login({ email: solo.email, password: 'not-the-password' }, ip);
      const unknownEmail = await login({ email: `nobody-${randomUUID().slice(0, 8)}@example.test`, password: 'not-the-password' }, ip);
      const ambiguousEmail = await login({ email, password: 'twice-password-1' }, ip);
      expect(errorOf(wrongPassword).status).toBe(401);
      expect(errorOf(wrongPassword).code).toBe('authentication_error');
      expect(errorOf(unknownEmail)).toEqual(errorOf(wrongPassword));
      expect(errorOf(ambiguousEmail)).toEqual(errorOf(wrongPassword));
      expect(Object.keys(unknownEmail.body.error).sort()).toEqual(Object.keys(wrongPassword.body.error).sort());

      // With tenant_id the ambiguous user logs in.
      expect((await login({ email, password: 'twice-password-1', tenant_id: two.tenantId }, ip)).status).toBe(200);

      // The same sequence for an account that exists and one that does not: nothing to tell them apart.
      const sequence = async (target: string) => {
        const statuses: number[] = [];
        for (let i = 0; i < 6; i++) statuses.push((await login({ email: target, password: `attempt-${i}-wrong` }, freshIp())).status);
        return statuses;
      };
      const existing = await signUpTenant(t.http, 'Existing');
      const forExisting = await sequence(existing.email);
      const forUnknown = await sequence(`ghost-${randomUUID().slice(0, 8)}@example.test`);
      expect(forExisting).toEqual([401, 401, 401, 401, 401, 429]);
      expect(forUnknown).toEqual(forExisting);
    });

    it('a successful login resets the account counter', async () => {
      const user = await signUpTenant(t.http, 'Resets');
      const ip = freshIp();
      for (let i = 0; i < 4; i++) expect((await login({ email: user.email, password: `nope-${i}-nope` }, ip)).status).toBe(401);
      expect((await login({ email: user.email, password: user.password }, ip)).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await login({ email: user.email, password: `nope-${i}-again` }, ip)).status).toBe(401);
    });
  });

  describe('per-IP bucket for unauthenticated and failed-auth requests', () => {
    it('300 random ck_live_ keys from one IP meet 429 before each costs a database lookup', async () => {
      const shop = await signUpTenant(t.http, 'Flooded');
      const key = await createApiKey(t.http, shop.accessToken);
      const lookups = jest.spyOn(t.app.get(IdentityRepository), 'findActiveApiKeyByLookup');
      const ip = freshIp();
      const results: Res[] = [];
      let lookupCount: number;
      try {
        for (let batch = 0; batch < 6; batch++) {
          results.push(...(await Promise.all(Array.from({ length: 50 }, () => t.http.get('/api/v1/auth/me', { token: randomLiveKey(), headers: { 'X-Forwarded-For': ip } })))));
        }
        lookupCount = lookups.mock.calls.length;
      } finally {
        lookups.mockRestore();
      }
      const unauthorized = results.filter((r) => r.status === 401);
      const limited = results.filter((r) => r.status === 429);
      if (process.env.REPORT_NUMBERS) console.log(`flood: ${unauthorized.length} × 401, ${limited.length} × 429, ${lookupCount} key lookups`);
      expect(unauthorized.length + limited.length).toBe(300);
      // The bucket holds 2 × the per-minute rate; requests already past the check when it ran dry
      // (one batch in flight) and a generous minute of refill are the most that can get through.
      const ceiling = 2 * UNAUTHENTICATED_PER_MINUTE + 50 + UNAUTHENTICATED_PER_MINUTE;
      expect(unauthorized.length).toBeLessThanOrEqual(ceiling);
      expect(limited.length).toBeGreaterThanOrEqual(300 - ceiling);
      expect(lookupCount).toBeGreaterThan(0);
      expect(lookupCount).toBeLessThanOrEqual(ceiling);

      for (const r of unauthorized) {
        expect(r.body.error.code).toBe('authentication_error');
        expect(r.headers['x-ratelimit-limit']).toBe(String(2 * UNAUTHENTICATED_PER_MINUTE));
      }
      for (const r of limited) {
        expect(r.body.error.code).toBe('rate_limit_exceeded');
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(r.headers['x-ratelimit-limit']).toBe(String(2 * UNAUTHENTICATED_PER_MINUTE));
        expect(r.headers['x-ratelimit-remaining']).toBe('0');
        expect(Number(r.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
      }

      // The flooding address waits, whatever it sends (a token or so may have trickled back since);
      // another address is unaffected.
      const after = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http.get('/api/v1/auth/me', { token: i % 2 === 0 ? undefined : 'not-a-jwt', headers: { 'X-Forwarded-For': ip } })),
      );
      expect(after.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(7);
      expect((await t.http.get('/api/v1/auth/me', { token: key.secret, headers: { 'X-Forwarded-For': freshIp() } })).status).toBe(200);
    });

    it('missing and forged tokens draw from the same per-IP bucket', async () => {
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 2 * UNAUTHENTICATED_PER_MINUTE + 10; i++) {
        const res = await t.http.get('/api/v1/users', { token: i % 2 === 0 ? undefined : `forged.${i}.jwt`, headers: { 'X-Forwarded-For': ip } });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 2 * UNAUTHENTICATED_PER_MINUTE - 2).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    });

    it('authenticated requests do not draw from the per-IP bucket', async () => {
      const shop = await signUpTenant(t.http, 'Busy but honest');
      const ip = freshIp();
      for (let i = 0; i < 2 * UNAUTHENTICATED_PER_MINUTE + 10; i++) {
        const res = await t.http.get('/api/v1/auth/me', { token: shop.accessToken, headers: { 'X-Forwarded-For': ip } });
        if (res.status !== 200) throw new Error(`request ${i}: ${res.status}`);
      }
      expect((await t.http.get('/api/v1/auth/me', { token: 'not-a-jwt', headers: { 'X-Forwarded-For': ip } })).status).toBe(401);
    });
  });
});

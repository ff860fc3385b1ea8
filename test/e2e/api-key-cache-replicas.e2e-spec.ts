import { randomUUID } from 'node:crypto';
import { CredentialCache } from '../../src/modules/identity/credential-cache';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import { ownerDb } from '../support/owner-db';
import { createCustomer, customerLogin } from '../support/portal-fixtures';
import { waitFor } from '../support/wait';

const lookupOf = (secret: string) => secret.slice('ck_live_'.length, 'ck_live_'.length + 12);

/**
 * Issue 16: each API replica keeps verified API keys and tenant limits in process, so an API-key
 * request costs no SQL. Two replicas (two apps on one PostgreSQL and Redis) both serve a key from
 * their cache; a change made through one of them, or by hand in the database, holds on the very
 * next request on the other: revocation, scopes, allowed_ips, the token's user, the tenant's plan.
 */
describe('API keys cached per replica, changes seen on the next request everywhere (e2e, two apps)', () => {
  let a: TestApp;
  let b: TestApp;
  let shop: TenantFixture;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    shop = await signUpShop(a.http, 'Cached keys');
    // Each replica follows credential changes from its first API-key request on.
    await waitFor('both replicas following credential changes', async () => (await a.app.get(CredentialCache).sync()) && b.app.get(CredentialCache).sync());
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** The key answered `status` on both replicas and is now held in both caches: the next request there costs no lookup. */
  async function servedFromBothCaches(secret: string, path = '/api/v1/auth/me', status = 200): Promise<void> {
    for (const app of [a, b]) {
      expect((await app.http.get(path, { token: secret })).status).toBe(status);
      expect(app.app.get(CredentialCache).key(lookupOf(secret))).toBeDefined();
    }
  }

  it('refuses a key revoked through one replica on the next request on the other', async () => {
    const key = await createApiKey(a.http, shop.accessToken, { name: 'revoked soon' });
    await servedFromBothCaches(key.secret);

    expect((await a.http.delete(`/api/v1/api-keys/${key.id}`, { token: shop.accessToken })).status).toBe(204);
    const onB = await b.http.get('/api/v1/auth/me', { token: key.secret });
    expect(onB.status).toBe(401);
    expect(onB.body.error.message).toBe('API key is invalid or revoked');
    expect((await a.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(401);
  });

  it('applies scopes changed in the database on the next request on either replica', async () => {
    const key = await createApiKey(a.http, shop.accessToken, { name: 'narrowed', scopes: ['products:read'] });
    await servedFromBothCaches(key.secret, '/api/v1/products');

    // No route edits a key's scopes: an operator does, in SQL.
    await (await ownerDb()).query(`UPDATE api_keys SET scopes = '{customers:read}' WHERE id = $1`, [key.id]);
    const onB = await b.http.get('/api/v1/products', { token: key.secret });
    expect(onB.status).toBe(403);
    expect(onB.body.error.message).toContain('lacks the scope products:read');
    expect((await b.http.get('/api/v1/customers', { token: key.secret })).status).toBe(200);
    expect((await a.http.get('/api/v1/products', { token: key.secret })).status).toBe(403);
  });

  it('applies allowed_ips changed in the database on the next request on either replica', async () => {
    const res = await a.http.post('/api/v1/api-keys', { name: 'fenced', allowed_ips: ['127.0.0.0/8', '::1/128'] }, { token: shop.accessToken });
    expect(res.status).toBe(201);
    const key = res.body.data as { id: string; secret: string };
    await servedFromBothCaches(key.secret);

    await (await ownerDb()).query(`UPDATE api_keys SET allowed_ips = '{203.0.113.0/24}' WHERE id = $1`, [key.id]);
    const onB = await b.http.get('/api/v1/auth/me', { token: key.secret });
    expect(onB.status).toBe(403);
    expect(onB.body.error.message).toContain('allowed_ips');
    expect((await a.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(403);
  });

  it('refuses a personal token on the next request on the other replica once its user is deleted through one', async () => {
    const customer = await createCustomer(a.http, shop, 'Cached');
    const portal = await customerLogin(a.http, shop, customer.id);
    const minted = await a.http.post('/api/v1/me/api-tokens', { name: 'portal' }, { token: portal.accessToken });
    expect(minted.status).toBe(201);
    const secret = minted.body.data.secret as string;
    // (Its own orders: a route that does not look the user up again, as /auth/me would.)
    await servedFromBothCaches(secret, '/api/v1/orders');

    expect((await a.http.delete(`/api/v1/users/${portal.userId}`, { token: shop.accessToken })).status).toBe(204);
    expect((await b.http.get('/api/v1/orders', { token: secret })).status).toBe(401);
    expect((await a.http.get('/api/v1/orders', { token: secret })).status).toBe(401);
  });

  it("applies a change of the tenant's plan, and of the plan itself, on the next request on the other replica", async () => {
    const tenant = await signUpShop(a.http, 'Plan moves');
    const key = await createApiKey(a.http, tenant.accessToken, { name: 'metered' });
    await servedFromBothCaches(key.secret);
    // The tenant's own raised limit (100,000 reads a minute, a bucket of twice that) is what both report.
    expect((await b.http.get('/api/v1/auth/me', { token: key.secret })).headers['x-ratelimit-limit']).toBe('200000');

    const db = await ownerDb();
    const plan = `cached-${randomUUID().slice(0, 8)}`;
    await db.query(`INSERT INTO plans (id, name, reads_per_minute, writes_per_minute) VALUES ($1, $2, 400, 100)`, [`plan_${randomUUID().replaceAll('-', '').slice(0, 26)}`, plan]);
    await db.query(`UPDATE tenants SET plan = $2, rate_limit_reads = NULL WHERE id = $1`, [tenant.tenantId, plan]);
    expect((await b.http.get('/api/v1/auth/me', { token: key.secret })).headers['x-ratelimit-limit']).toBe('800');

    await db.query(`UPDATE plans SET reads_per_minute = 300 WHERE name = $1`, [plan]);
    expect((await b.http.get('/api/v1/auth/me', { token: key.secret })).headers['x-ratelimit-limit']).toBe('600');
    expect((await a.http.get('/api/v1/auth/me', { token: key.secret })).headers['x-ratelimit-limit']).toBe('600');
  });

  it('trusts nothing it cached before its change feed was cut: a revocation made meanwhile holds, during and after', async () => {
    const key = await createApiKey(a.http, shop.accessToken, { name: 'feed cut' });
    await servedFromBothCaches(key.secret);

    // Both replicas lose their LISTEN connection; the revocation's announcement reaches neither.
    const db = await ownerDb();
    await db.query(`SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'cbapi-credential-feed' AND datname = current_database()`);
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [key.id]);
    expect((await b.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(401);

    // The feeds reconnect on their own. Replica A held the key when its feed was cut, and has not
    // been asked since: it must not serve it from before the cut.
    await waitFor('both replicas following credential changes again', async () => (await a.app.get(CredentialCache).sync()) && b.app.get(CredentialCache).sync());
    expect((await a.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(401);
    expect((await b.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(401);

    // And keys are cached again.
    const fresh = await createApiKey(a.http, shop.accessToken, { name: 'after the cut' });
    await servedFromBothCaches(fresh.secret);
  });
});

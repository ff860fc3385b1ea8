import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

/**
 * `GET /resolve/public-url` mints a checkout link on every call: a write behind a GET. A read-only
 * credential (or one scoped to `services:read` only) is refused with 403 and no link is created.
 */
describe('public-URL resolver needs a read_write credential (e2e)', () => {
  let t: TestApp, db: DataSource, shop: TenantFixture, writeKey: string, readOnlyKey: string, readScopedKey: string;
  const sku = `RES-${randomUUID().slice(0, 8)}`;
  const ref = `acc-${randomUUID().slice(0, 8)}`;

  const resolve = (tok: string) =>
    t.http.get('/api/v1/resolve/public-url', { token: tok, query: { account_ref_id: ref, product_name: sku, email: 'buyer@example.test' } });
  const links = async (): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM checkout_links WHERE tenant_id = $1', [shop.tenantId]))[0].n;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    shop = await signUpTenant(t.http, 'Resolver shop');
    writeKey = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    readOnlyKey = (await createApiKey(t.http, shop.accessToken, { mode: 'test', access: 'read_only' })).secret;
    readScopedKey = (await createApiKey(t.http, shop.accessToken, { mode: 'test', scopes: ['services:read'] })).secret;
    // Only saas_only products resolve (resolver-saas-only.e2e-spec.ts).
    expect((await t.http.post('/api/v1/products', { name: 'Setup', sku, price: 900, saas_only: true }, { token: writeKey })).status).toBe(201);
  });

  afterAll(() => t.close());

  it('refuses a read-only API key with 403 and creates no link', async () => {
    const before = await links();
    const res = await resolve(readOnlyKey);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('authorization_error');
    expect(await links()).toBe(before);
  });

  it('refuses a key scoped to services:read only', async () => {
    const res = await resolve(readScopedKey);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('authorization_error');
  });

  it('still answers a read_write key with a link', async () => {
    const before = await links();
    const res = await resolve(writeKey);
    expect(res.status).toBe(200);
    expect(res.body.data.type).toBe('redirect');
    expect(await links()).toBe(before + 1);
  });
});

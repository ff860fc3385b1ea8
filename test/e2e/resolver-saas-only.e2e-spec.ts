import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/**
 * Seed 003 "Resolve Public URL": the resolver only returns URLs for catalog entries tagged
 * saas_only, and a saas_only product needs the buyer's email. `saas_only` is a product field
 * (default false, set on create and update); anything else answers as if it did not exist.
 */
describe('public-URL resolver: saas_only products only (e2e)', () => {
  let t: TestApp;

  const resolve = (key: string, query: Record<string, string>) => t.http.get('/api/v1/resolve/public-url', { token: key, query });
  const account = () => `ACC-${randomUUID().slice(0, 8)}`;
  const email = 'buyer@example.test';

  /** A tenant of its own, with a test-mode read_write key. */
  async function shopKey(): Promise<string> {
    const tenant = await signUpTenant(t.http, 'Resolver saas_only');
    return (await createApiKey(t.http, tenant.accessToken, { mode: 'test' })).secret;
  }

  async function product(key: string, body: Record<string, unknown>) {
    const res = await t.http.post('/api/v1/products', { sku: `P-${randomUUID().slice(0, 8)}`, price: 1500, ...body }, { token: key });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; sku: string; saas_only: boolean };
  }

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('saas_only is false by default, set on create and changed by PATCH', async () => {
    const key = await shopKey();
    const plain = await product(key, { name: 'Plain' });
    expect(plain.saas_only).toBe(false);
    const tagged = await product(key, { name: 'Tagged', saas_only: true });
    expect(tagged.saas_only).toBe(true);
    const read = await t.http.get(`/api/v1/products/${tagged.id}`, { token: key });
    expect(read.body.data.saas_only).toBe(true);
    const patched = await t.http.patch(`/api/v1/products/${plain.id}`, { saas_only: true }, { token: key });
    expect(patched.status).toBe(200);
    expect(patched.body.data.saas_only).toBe(true);
    const bad = await t.http.patch(`/api/v1/products/${plain.id}`, { saas_only: 'yes' }, { token: key });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('saas_only');
  });

  it('a product that is not saas_only does not resolve, by SKU, label or name, with or without email', async () => {
    const key = await shopKey();
    const label = `addon-${randomUUID().slice(0, 8)}`;
    const plain = await product(key, { name: 'Backup add-on', label_name: label });
    for (const productName of [plain.sku, label, 'Backup add-on']) {
      const queries: Record<string, string>[] = [{ account_ref_id: account(), product_name: productName }, { account_ref_id: account(), product_name: productName, email }];
      for (const query of queries) {
        const res = await resolve(key, query);
        expect({ query, status: res.status, error: res.body.error?.code, message: res.body.error?.message }).toEqual({
          query, status: 404, error: 'not_found', message: 'Product not found',
        });
      }
    }
  });

  it('a saas_only product resolves with email and asks for it without; untagging it stops the resolver', async () => {
    const key = await shopKey();
    const tagged = await product(key, { name: 'Onboarding', saas_only: true });
    const missing = await resolve(key, { account_ref_id: account(), product_name: tagged.sku });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toMatchObject({ code: 'validation_error', field: 'email', message: 'email is required when using a saas_only product' });
    const ok = await resolve(key, { account_ref_id: account(), product_name: tagged.sku, email });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ type: 'redirect', url: expect.stringMatching(/\/r\/[A-Za-z0-9_-]{43}$/) });

    expect((await t.http.patch(`/api/v1/products/${tagged.id}`, { saas_only: false }, { token: key })).status).toBe(200);
    const untagged = await resolve(key, { account_ref_id: account(), product_name: tagged.sku, email });
    expect(untagged.status).toBe(404);
    expect(untagged.body.error.message).toBe('Product not found');
  });

  it('a subscription resolves only when its product is saas_only', async () => {
    const key = await shopKey();
    const label = `suite-${randomUUID().slice(0, 8)}`;
    const suite = await product(key, { name: 'Suite', price: 0, type: 'subscription', label_name: label });
    const tier = await t.http.post(`/api/v1/products/${suite.id}/tiers`, { label_name: 'pro', name: 'Pro', price: 3200, billing_cycle: 'monthly' }, { token: key });
    expect(tier.status).toBe(201);
    const query = { account_ref_id: account(), subscription_name: label, tier_name: 'pro', email };

    const hidden = await resolve(key, query);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toMatchObject({ code: 'not_found', message: 'Subscription product not found' });
    // The tier list is not the resolver: it still shows the product's tiers.
    expect((await t.http.get(`/api/v1/tiers/${label}`, { token: key })).status).toBe(200);

    expect((await t.http.patch(`/api/v1/products/${suite.id}`, { saas_only: true }, { token: key })).status).toBe(200);
    const shown = await resolve(key, query);
    expect(shown.status).toBe(200);
    expect(shown.body.data.type).toBe('redirect');
    // Still the seed's order: a missing email is named before the product is looked up.
    const { email: _omitted, ...withoutEmail } = query;
    expect((await resolve(key, withoutEmail)).body.error.message).toBe('email is required when using subscription_name and tier_name');
  });
});

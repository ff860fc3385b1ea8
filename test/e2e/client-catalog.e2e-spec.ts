import { randomUUID } from 'node:crypto';
import { ApiError, type ApiClient, type Schemas } from '../../packages/client/src';
import { startTestApp, type TestApp } from '../support/app';
import { apiClient, listen } from '../support/api-client';

/**
 * The catalog flows through the typed client (packages/client) against the app listening on a
 * port: a spec change that breaks generated clients breaks this file at compile time or here.
 */
describe('catalog through the typed client (e2e)', () => {
  let t: TestApp;
  let baseUrl: string;
  let owner: ApiClient;
  const sku = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    const signUp = apiClient(baseUrl);
    const tenant = await signUp.post('/tenants', { body: { name: 'Client catalog shop', email: `owner-${randomUUID()}@example.test`, password: 'correct-horse-battery' } });
    expect(tenant.access_token).toBeTruthy();
    owner = apiClient(baseUrl, { tokens: { accessToken: tenant.access_token, refreshToken: tenant.refresh_token } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, reads (by id and SKU), updates and archives a product with variants', async () => {
    const created = await owner.post('/products', {
      body: {
        name: 'Linen shirt', sku: sku('SHIRT'), price: 4500, description: 'Breathable', categories: ['apparel'],
        variants: [{ sku: sku('SHIRT-M'), attributes: { size: 'M' } }], metadata: { supplier: 'acme' },
      },
    });
    expect(created).toMatchObject({ name: 'Linen shirt', price: 4500, currency: 'usd', status: 'active', stock: 0 });
    expect(created.id).toMatch(/^prod_/);
    expect(created.variants).toHaveLength(1);

    const bySku = await owner.get('/products/{id}', { params: { path: { id: created.sku } } });
    expect(bySku.id).toBe(created.id);

    const updated = await owner.patch('/products/{id}', { params: { path: { id: created.id } }, body: { price: 3900, status: 'draft' } });
    expect(updated).toMatchObject({ price: 3900, status: 'draft' });

    const large = await owner.post('/products/{id}/variants', { params: { path: { id: created.id } }, body: { sku: sku('SHIRT-L'), price: 4100, attributes: { size: 'L' } } });
    expect(large).toMatchObject({ product_id: created.id, price: 4100, attributes: { size: 'L' } });
    const repriced = await owner.patch('/products/{id}/variants/{variant_id}', { params: { path: { id: created.id, variant_id: large.id } }, body: { price: 4200 } });
    expect(repriced.price).toBe(4200);
    expect((await owner.get('/products/{id}', { params: { path: { id: created.id } } })).variants).toHaveLength(2);
    await owner.delete('/products/{id}/variants/{variant_id}', { params: { path: { id: created.id, variant_id: large.id } } });

    await expect(owner.delete('/products/{id}', { params: { path: { id: created.id } } })).resolves.toBeUndefined();
    expect((await owner.get('/products/{id}', { params: { path: { id: created.id } } })).status).toBe('archived');
  });

  it('answers typed errors: 409 conflict naming the SKU, 404 not_found, 422 validation_error with details', async () => {
    const taken = sku('DUP');
    await owner.post('/products', { body: { name: 'First', sku: taken, price: 100 } });
    const conflict = await owner.post('/products', { body: { name: 'Second', sku: taken, price: 100 } }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApiError);
    expect(conflict).toMatchObject({ status: 409, code: 'conflict', field: 'sku' });
    expect((conflict as ApiError).requestId).toMatch(/^req_/);

    await expect(owner.get('/products/{id}', { params: { path: { id: 'prod_nonexistent' } } })).rejects.toMatchObject({ status: 404, code: 'not_found' });

    const invalid = (await owner.post('/products', { body: { name: 'Bad', sku: sku('BAD'), price: -1 } }).catch((e: unknown) => e)) as ApiError;
    expect(invalid).toMatchObject({ status: 422, code: 'validation_error' });
    expect(invalid.details.map((d) => d.field)).toContain('price');
  });

  it('replays a POST sent twice with one Idempotency-Key, and gives each call without one a fresh key', async () => {
    const key = randomUUID();
    const body = { name: 'Idempotent lamp', sku: sku('LAMP'), price: 2500 };
    const first = await owner.post('/products', { body, idempotencyKey: key });
    const again = await owner.raw.POST('/products', { body, headers: { 'Idempotency-Key': key } });
    expect(again.response.status).toBe(201);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data?.data.id).toBe(first.id);
    // Without a key the client mints one per call: the second create is a new request (409 for the SKU), not a replay.
    await expect(owner.post('/products', { body })).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });

  it('iterates a list with cursor paging (for await … of client.list)', async () => {
    const category = `walk-${randomUUID().slice(0, 6)}`;
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await owner.post('/products', { body: { name: `Walk ${i}`, sku: sku('WALK'), price: 100 + i, categories: [category] } })).id);
    const seen: Schemas['Product'][] = [];
    for await (const product of owner.list('/products', { params: { query: { category, per_page: 2, sort: 'created_at', order: 'asc' } } })) seen.push(product);
    expect(seen.map((p) => p.id)).toEqual(made);

    const categories = await owner.get('/categories');
    expect(categories).toEqual(expect.arrayContaining([{ name: category, product_count: 7 }]));
  });

  it('manages subscription tiers and lists them by label', async () => {
    const label = `pro-${randomUUID().slice(0, 6)}`;
    const plan = await owner.post('/products', { body: { name: 'Pro hosting', sku: sku('PRO'), price: 2900, type: 'subscription', label_name: label } });
    const basic = await owner.post('/products/{id}/tiers', {
      params: { path: { id: plan.id } },
      body: { label_name: 'basic', name: 'Basic', price: 900, billing_cycle: 'monthly', features: ['1 site'] },
    });
    expect(basic).toMatchObject({ label_name: 'basic', price: 900, billing_cycle: 'monthly' });
    await owner.post('/products/{id}/tiers', { params: { path: { id: plan.id } }, body: { label_name: 'team', name: 'Team', price: 2900, billing_cycle: 'yearly', is_popular: true } });
    const renamed = await owner.patch('/products/{id}/tiers/{tier_id}', { params: { path: { id: plan.id, tier_id: basic.id } }, body: { name: 'Basic (new)' } });
    expect(renamed.name).toBe('Basic (new)');

    const tiers = await owner.get('/tiers/{subscription_label_name}', { params: { path: { subscription_label_name: label } } });
    expect(tiers.map((tier) => tier.label_name).sort()).toEqual(['basic', 'team']);
    expect((await owner.get('/products/{id}/tiers', { params: { path: { id: plan.id } } })).length).toBe(2);
    await owner.delete('/products/{id}/tiers/{tier_id}', { params: { path: { id: plan.id, tier_id: basic.id } } });
  });

  it('refreshes an expired user token on its own, and works with a sandbox API key', async () => {
    const me = await owner.get('/auth/me');
    const before = owner.currentTokens!;
    // A rejected access token (as after expiry): the client refreshes once and retries.
    owner.setTokens({ accessToken: 'expired.jwt.token', refreshToken: before.refreshToken });
    const again = await owner.get('/auth/me');
    expect(again.tenant.id).toBe(me.tenant.id);
    expect(owner.currentTokens?.refreshToken).not.toBe(before.refreshToken);

    const key = await owner.post('/api-keys', { body: { name: 'sandbox script', mode: 'test', access: 'read_write' } });
    const sandbox = apiClient(baseUrl, { apiKey: key.secret });
    const testProduct = await sandbox.post('/products', { body: { name: 'Test only', sku: sku('TEST'), price: 100 } });
    const response = await sandbox.raw.GET('/products/{id}', { params: { path: { id: testProduct.id } } });
    expect(response.data?.meta.livemode).toBe(false);
    await expect(owner.get('/products/{id}', { params: { path: { id: testProduct.id } } })).rejects.toMatchObject({ status: 404 });
  });
});

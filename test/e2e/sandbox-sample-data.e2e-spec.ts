import { resetConfigCache } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

const SAMPLE_SKUS = ['HOSTING', 'MUG-BLUE', 'TEE-BLACK'];

/** Issue 22 item 3: a new tenant's sandbox starts with sample data, and POST /sandbox/reset restores it. */
describe('sandbox sample data (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let testKey: string;
  let liveKey: string;

  const skus = async (key: string) => {
    const res = await t.http.get('/api/v1/products?per_page=100', { token: key });
    expect(res.status).toBe(200);
    return (res.body.data as { sku: string }[]).map((p) => p.sku).sort();
  };
  const count = async (path: string, key = testKey) => {
    const res = await t.http.get(path, { token: key });
    expect([path, res.status, res.status === 200 ? null : res.body]).toEqual([path, 200, null]);
    return (res.body.data as unknown[]).length;
  };

  beforeAll(async () => {
    process.env.SANDBOX_SAMPLE_DATA = 'true';
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Sample shop');
    testKey = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    liveKey = (await createApiKey(t.http, shop.accessToken, { mode: 'live' })).secret;
  });

  afterAll(async () => {
    await t.close();
    process.env.SANDBOX_SAMPLE_DATA = 'false';
    resetConfigCache();
  });

  it('fills a new sandbox with products, customers, stock, orders and an invoice, and leaves live mode empty', async () => {
    expect(await skus(testKey)).toEqual(SAMPLE_SKUS);
    expect(await count('/api/v1/customers')).toBe(2);
    expect(await count('/api/v1/orders')).toBe(2);
    expect(await count('/api/v1/locations')).toBe(1);
    expect(await count('/api/v1/invoices?email=ada.lovelace@example.com')).toBe(1);

    const products = (await t.http.get('/api/v1/products?per_page=100', { token: testKey })).body.data as { id: string; sku: string }[];
    const mug = products.find((p) => p.sku === 'MUG-BLUE')!;
    const stock = await t.http.get(`/api/v1/inventory/${mug.id}`, { token: testKey });
    expect(stock.status).toBe(200);
    // 40 received, 2 + 1 reserved by the two sample orders.
    expect(stock.body.data).toMatchObject({ total_on_hand: 40, total_reserved: 3, total_available: 37 });

    // Made through the services: the events a real call makes are there.
    const events = await t.http.get('/api/v1/events?per_page=100', { token: testKey });
    expect(events.status).toBe(200);
    const types = new Set((events.body.data as { type: string }[]).map((e) => e.type));
    for (const type of ['product.created', 'customer.created', 'order.created', 'invoice.created']) expect(types.has(type)).toBe(true);

    expect(await skus(liveKey)).toEqual([]);
    expect(await count('/api/v1/orders', liveKey)).toBe(0);
  });

  it('POST /sandbox/reset deletes what the sandbox gained and lost, makes the sample data again, and keeps the keys', async () => {
    const extra = await t.http.post('/api/v1/products', { sku: 'EXTRA-1', name: 'Extra', price: 100 }, { token: testKey });
    expect(extra.status).toBe(201);
    const products = (await t.http.get('/api/v1/products?per_page=100', { token: testKey })).body.data as { id: string; sku: string }[];
    const tee = products.find((p) => p.sku === 'TEE-BLACK')!;
    expect((await t.http.delete(`/api/v1/products/${tee.id}`, { token: testKey })).status).toBeLessThan(300);
    const liveProduct = await t.http.post('/api/v1/products', { sku: 'LIVE-1', name: 'Live only', price: 500 }, { token: liveKey });
    expect(liveProduct.status).toBe(201);

    const reset = await t.http.post('/api/v1/sandbox/reset', {}, { token: testKey });
    expect(reset.status).toBe(200);
    expect(reset.body.data.deleted_rows).toBeGreaterThan(0);
    expect(reset.body.meta.livemode).toBe(false);

    // The same test key still works, and the sandbox is back to the sample data only.
    expect(await skus(testKey)).toEqual(SAMPLE_SKUS);
    expect(await count('/api/v1/customers')).toBe(2);
    expect(await count('/api/v1/orders')).toBe(2);
    expect(await count('/api/v1/locations')).toBe(1);
    expect(await count('/api/v1/invoices?email=ada.lovelace@example.com')).toBe(1);
    // Live data is never touched.
    expect(await skus(liveKey)).toEqual(['LIVE-1']);
  });

  it('two concurrent resets of one sandbox: each answers 200 or a clean 409, never a 500, and one copy of the sample data is left', async () => {
    const racer = await signUpTenant(t.http, 'Racing reset shop');
    const key = (await createApiKey(t.http, racer.accessToken, { mode: 'test' })).secret;
    const resets = await Promise.all([1, 2].map(() => t.http.post('/api/v1/sandbox/reset', {}, { token: key })));
    for (const reset of resets) {
      expect([200, 409]).toContain(reset.status);
      if (reset.status === 409) expect(reset.body.error.code).toBe('conflict');
    }
    expect(resets.some((r) => r.status === 200)).toBe(true);

    expect(await skus(key)).toEqual(SAMPLE_SKUS);
    expect(await count('/api/v1/customers', key)).toBe(2);
    expect(await count('/api/v1/orders', key)).toBe(2);
    expect(await count('/api/v1/locations', key)).toBe(1);
    expect(await count('/api/v1/invoices?email=ada.lovelace@example.com', key)).toBe(1);
  });

  it('resets only the sandbox, and only for owners and admins', async () => {
    expect((await t.http.post('/api/v1/sandbox/reset', {}, { token: liveKey })).status).toBe(403);
    // The owner's user token is a live-mode credential.
    expect((await t.http.post('/api/v1/sandbox/reset', {}, { token: shop.accessToken })).status).toBe(403);
    const readOnly = await createApiKey(t.http, shop.accessToken, { mode: 'test', access: 'read_only' });
    expect((await t.http.post('/api/v1/sandbox/reset', {}, { token: readOnly.secret })).status).toBe(403);
    expect((await t.http.post('/api/v1/sandbox/reset', {})).status).toBe(401);
  });
});

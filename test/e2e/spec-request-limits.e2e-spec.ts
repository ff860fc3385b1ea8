import { startTestApp, type TestApp } from '../support/app';
import { signUpShop } from '../support/fixtures';

const keyed = (length: number) => ({ ['k'.repeat(length)]: 'v' });

/**
 * The limits the hand-written DTOs used to enforce now come from openapi.yaml through the generated
 * DTOs: each case here is a constraint the spec gained before the hand-written class was deleted.
 */
describe('request limits stated in the spec (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpShop(t.http);
    token = shop.accessToken;
  });
  afterAll(() => t.close());

  it('metadata: customers and payments take keys up to 40 characters, products up to 100 (422 naming metadata beyond)', async () => {
    const customer = (body: object) => t.http.post('/api/v1/customers', { email: 'm@example.com', first_name: 'M', last_name: 'D', ...body }, { token });
    expect((await customer({ metadata: keyed(40) })).status).toBe(201);
    const long = await customer({ metadata: keyed(41) });
    expect([long.status, long.body.error.field]).toEqual([422, 'metadata']);
    expect(long.body.error.message).toContain('keys ≤ 40');
    expect((await customer({ metadata: { k: 'v'.repeat(501) } })).status).toBe(422);

    const product = (sku: string, metadata: object) => t.http.post('/api/v1/products', { sku, name: 'P', price: 1, metadata }, { token });
    expect((await product('META-1', keyed(100))).status).toBe(201);
    const tooLong = await product('META-2', keyed(101));
    expect([tooLong.status, tooLong.body.error.field]).toEqual([422, 'metadata']);
  });

  it('an inventory adjustment of zero is refused with its own message', async () => {
    const product = (await t.http.post('/api/v1/products', { sku: 'ZERO-1', name: 'Z', price: 1 }, { token })).body.data;
    await t.http.post('/api/v1/locations', { name: 'Main' }, { token });
    const res = await t.http.post(`/api/v1/inventory/${product.id}/adjust`, { quantity: 0, reason: 'correction' }, { token });
    expect([res.status, res.body.error.field]).toEqual([422, 'quantity']);
    expect(res.body.error.message).toContain('quantity must not be zero');
  });

  it('null for a field that cannot be null is 422 naming it', async () => {
    const product = (await t.http.post('/api/v1/products', { sku: 'NULL-1', name: 'N', price: 1 }, { token })).body.data;
    for (const field of ['currency', 'categories', 'status', 'metadata']) {
      const res = await t.http.patch(`/api/v1/products/${product.id}`, { [field]: null }, { token });
      expect([field, res.status, res.body.error.field]).toEqual([field, 422, field]);
    }
  });

  it('date filters: ISO 8601 dates that name a real day; anything else is 400 naming the parameter', async () => {
    expect((await t.http.get('/api/v1/orders', { token, query: { date_from: '2026-01-31', to: '2026-02-01T12:00:00Z' } })).status).toBe(200);
    for (const value of ['2026-02-30', '2026-W05', 'yesterday', '20260101']) {
      const res = await t.http.get('/api/v1/orders', { token, query: { date_from: value } });
      expect([value, res.status, res.body.error.field]).toEqual([value, 400, 'date_from']);
    }
  });

  it('customers filter by comma-separated tags (style form, explode false), at most 20 of up to 50 characters', async () => {
    await t.http.post('/api/v1/customers', { email: 'tagged@example.com', first_name: 'T', last_name: 'G', tags: ['vip', 'hosting'] }, { token });
    const hit = await t.http.get('/api/v1/customers', { token, query: { tags: 'vip, hosting' } });
    expect(hit.body.data.map((c: { email: string }) => c.email)).toEqual(['tagged@example.com']);
    const tooMany = await t.http.get('/api/v1/customers', { token, query: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`).join(',') } });
    expect([tooMany.status, tooMany.body.error.field]).toEqual([400, 'tags']);
  });

  it('an error that echoes client input stays within the limits the spec states for the envelope', async () => {
    const res = await t.http.post('/api/v1/customers', { email: 'e@example.com', first_name: 'E', last_name: 'L', ['x'.repeat(10_000)]: 1 }, { token });
    expect(res.status).toBe(422);
    expect(res.body.error.field.length).toBeLessThanOrEqual(200);
    expect(res.body.error.message.length).toBeLessThanOrEqual(1000);
  });
});

import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { signUpShop } from '../support/fixtures';

/**
 * `products.stock` is the units available to sell (on hand − reserved) over every location and
 * variant, moved by the inventory module in the transaction that changes a stock level: after an
 * adjustment, an order's reservation, its release (cancel) and its shipment (commit: unchanged).
 */
describe('product stock (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let token: string;
  let customerId: string;
  const address = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

  async function product(extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.http.post('/api/v1/products', { name: 'Widget', sku: `SKU-${randomUUID().slice(0, 8)}`, price: 1999, ...extra }, { token });
    expect(res.status).toBe(201);
    expect(res.body.data.stock).toBe(0);
    return res.body.data.id;
  }

  async function location(code: string): Promise<string> {
    const res = await t.http.post('/api/v1/locations', { name: `Warehouse ${code}`, code }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function adjust(productId: string, body: Record<string, unknown>): Promise<number> {
    return (await t.http.post(`/api/v1/inventory/${productId}/adjust`, { reason: 'received', ...body }, { token })).status;
  }

  /** The product's `stock` next to what the inventory route computes from the levels. */
  async function stockOf(productId: string): Promise<{ stock: number; totalAvailable: number }> {
    const [p, inv] = await Promise.all([
      t.http.get(`/api/v1/products/${productId}`, { token }),
      t.http.get(`/api/v1/inventory/${productId}`, { token }),
    ]);
    expect([p.status, inv.status]).toEqual([200, 200]);
    return { stock: p.body.data.stock, totalAvailable: inv.body.data.total_available };
  }

  async function order(productId: string, quantity: number, variantId?: string): Promise<string> {
    const item = { product_id: productId, quantity, ...(variantId ? { variant_id: variantId } : {}) };
    const res = await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [item] }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function moveTo(orderId: string, status: string): Promise<void> {
    expect((await t.http.patch(`/api/v1/orders/${orderId}/status`, { status }, { token })).status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpShop(t.http, 'Stock shop');
    token = shop.accessToken;
    const customer = await t.http.post('/api/v1/customers', { email: `buyer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'B', last_name: 'Uyer' }, { token });
    expect(customer.status).toBe(201);
    customerId = customer.body.data.id;
    await location('ST-A');
    await location('ST-B');
  });
  afterAll(() => t.close());

  it('follows adjustments over every location and variant; a refused adjustment leaves it alone', async () => {
    const [locA, locB] = (await t.http.get('/api/v1/locations', { token, query: { per_page: 200 } })).body.data
      .filter((l: { code: string }) => l.code === 'ST-A' || l.code === 'ST-B')
      .sort((a: { code: string }, b: { code: string }) => a.code.localeCompare(b.code))
      .map((l: { id: string }) => l.id);
    const productId = await product();
    const variant = await t.http.post(`/api/v1/products/${productId}/variants`, { sku: `V-${randomUUID().slice(0, 8)}` }, { token });
    expect(variant.status).toBe(201);

    expect(await adjust(productId, { quantity: 10, location: locA })).toBe(200);
    expect(await stockOf(productId)).toEqual({ stock: 10, totalAvailable: 10 });
    expect(await adjust(productId, { quantity: 5, location: locB })).toBe(200);
    expect(await adjust(productId, { quantity: 3, location: locA, variant_id: variant.body.data.id })).toBe(200);
    expect(await adjust(productId, { quantity: -4, location: locA, reason: 'damaged' })).toBe(200);
    expect(await stockOf(productId)).toEqual({ stock: 14, totalAvailable: 14 });

    expect(await adjust(productId, { quantity: -6, location: locB, reason: 'lost' })).toBe(409);
    expect(await stockOf(productId)).toEqual({ stock: 14, totalAvailable: 14 });
  });

  it('drops by a reservation, comes back on cancel (release), stays on shipment (commit)', async () => {
    const productId = await product();
    const [locA] = (await t.http.get('/api/v1/locations', { token, query: { per_page: 200 } })).body.data
      .filter((l: { code: string }) => l.code === 'ST-A').map((l: { id: string }) => l.id);
    expect(await adjust(productId, { quantity: 8, location: locA })).toBe(200);

    const cancelled = await order(productId, 3);
    expect(await stockOf(productId)).toEqual({ stock: 5, totalAvailable: 5 });
    const cancel = await t.http.post(`/api/v1/orders/${cancelled}/cancel`, { reason: 'customer_request', refund: false }, { token });
    expect(cancel.status).toBe(200);
    expect(await stockOf(productId)).toEqual({ stock: 8, totalAvailable: 8 });

    const shipped = await order(productId, 2);
    expect(await stockOf(productId)).toEqual({ stock: 6, totalAvailable: 6 });
    for (const status of ['confirmed', 'processing', 'shipped']) await moveTo(shipped, status);
    expect(await stockOf(productId)).toEqual({ stock: 6, totalAvailable: 6 });
    const inv = (await t.http.get(`/api/v1/inventory/${productId}`, { token })).body.data;
    expect({ onHand: inv.total_on_hand, reserved: inv.total_reserved }).toEqual({ onHand: 6, reserved: 0 });
  });

  it('30 parallel buyers for 12 units, then 5 parallel cancellations: stock 0, then 5, in step with the levels', async () => {
    const productId = await product();
    const [locA, locB] = (await t.http.get('/api/v1/locations', { token, query: { per_page: 200 } })).body.data
      .filter((l: { code: string }) => l.code === 'ST-A' || l.code === 'ST-B').map((l: { id: string }) => l.id);
    expect(await adjust(productId, { quantity: 7, location: locA })).toBe(200);
    expect(await adjust(productId, { quantity: 5, location: locB })).toBe(200);

    const results = await Promise.all(Array.from({ length: 30 }, () =>
      t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: productId, quantity: 1 }] }, { token })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(12);
    expect(statuses.filter((s) => s === 409)).toHaveLength(18);
    expect(await stockOf(productId)).toEqual({ stock: 0, totalAvailable: 0 });

    const placed = results.filter((r) => r.status === 201).map((r) => r.body.data.id as string);
    const cancels = await Promise.all(placed.slice(0, 5).map((id) =>
      t.http.post(`/api/v1/orders/${id}/cancel`, { reason: 'customer_request', refund: false }, { token })));
    expect(cancels.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await stockOf(productId)).toEqual({ stock: 5, totalAvailable: 5 });
  });

  it('sorts the catalog by it', async () => {
    const sortShop = await signUpShop(t.http, 'Stock sort shop');
    const own = sortShop.accessToken;
    const loc = await t.http.post('/api/v1/locations', { name: 'Only', code: 'ONLY' }, { token: own });
    const ids: Record<number, string> = {};
    for (const units of [3, 0, 7]) {
      const p = await t.http.post('/api/v1/products', { name: `P${units}`, sku: `S-${randomUUID().slice(0, 8)}`, price: 100 }, { token: own });
      ids[units] = p.body.data.id;
      if (units > 0) {
        const res = await t.http.post(`/api/v1/inventory/${p.body.data.id}/adjust`, { reason: 'received', quantity: units, location: loc.body.data.id }, { token: own });
        expect(res.status).toBe(200);
      }
    }
    const desc = await t.http.get('/api/v1/products', { token: own, query: { sort: 'stock', order: 'desc' } });
    expect(desc.body.data.map((p: { id: string; stock: number }) => [p.id, p.stock])).toEqual([[ids[7], 7], [ids[3], 3], [ids[0], 0]]);
  });
});

import { randomUUID } from 'node:crypto';
import { ApiError, type ApiClient } from '../../packages/client/src';
import { startTestApp, type TestApp } from '../support/app';
import { apiClient, listen } from '../support/api-client';
import { OK_CARD } from '../support/payment-fixtures';

/**
 * The order flows through the typed client (packages/client) against the app listening on a port:
 * stock, orders, status changes, cancellation and payment in the sandbox, each answer checked against the spec.
 */
describe('orders through the typed client (e2e)', () => {
  let t: TestApp;
  let shop: ApiClient;
  let locationId: string;
  let customerId: string;
  const address = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1 1AA', country: 'GB' };

  async function stockedProduct(quantity: number, price = 1999): Promise<string> {
    const product = await shop.post('/products', { body: { name: 'Widget', sku: `W-${randomUUID().slice(0, 8)}`, price } });
    const level = await shop.post('/inventory/{product_id}/adjust', {
      params: { path: { product_id: product.id } },
      body: { quantity, reason: 'received', location: locationId },
    });
    expect(level.total_available).toBe(quantity);
    return product.id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const baseUrl = await listen(t);
    const email = `owner-${randomUUID()}@example.test`;
    await apiClient(baseUrl).post('/tenants', { body: { name: 'Client orders shop', email, password: 'correct-horse-battery' } });
    // A sandbox session: test cards pay, nothing live is touched.
    shop = apiClient(baseUrl);
    await shop.login({ email, password: 'correct-horse-battery', mode: 'test' });
    locationId = (await shop.post('/locations', { body: { name: 'Main', code: 'MAIN' } })).id;
    customerId = (await shop.post('/customers', { body: { email: `buyer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Ada', last_name: 'Lovelace' } })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('places an order priced from the catalog, reserves stock, and moves it through its statuses', async () => {
    const productId = await stockedProduct(10);
    const order = await shop.post('/orders', { body: { customer_id: customerId, items: [{ product_id: productId, quantity: 3 }], shipping_address: address, note: 'ring twice' } });
    expect(order).toMatchObject({ status: 'pending', payment_status: 'pending', subtotal: 3 * 1999, total: 3 * 1999, currency: 'usd' });
    expect(order.status_history.map((h) => h.to_status)).toEqual(['pending']);
    expect(await shop.get('/inventory/{product_id}', { params: { path: { product_id: productId } } })).toMatchObject({ total_reserved: 3, total_available: 7 });

    for (const status of ['confirmed', 'processing', 'shipped'] as const) {
      const moved = await shop.patch('/orders/{id}/status', { params: { path: { id: order.id } }, body: { status } });
      expect(moved.status).toBe(status);
    }
    const invalid = await shop.patch('/orders/{id}/status', { params: { path: { id: order.id } }, body: { status: 'pending' } }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({ status: 409, code: 'conflict', field: 'status' });

    const fetched = await shop.get('/orders/{id}', { params: { path: { id: order.id } } });
    expect(fetched.status_history.map((h) => h.to_status)).toEqual(['pending', 'confirmed', 'processing', 'shipped']);
    const movements = await shop.get('/inventory/{product_id}/movements', { params: { path: { product_id: productId } } });
    expect(movements.length).toBeGreaterThanOrEqual(2);
  });

  it('cancels an order and releases its reservation', async () => {
    const productId = await stockedProduct(4);
    const order = await shop.post('/orders', { body: { customer_id: customerId, items: [{ product_id: productId, quantity: 4 }], shipping_address: address } });
    const cancelled = await shop.post('/orders/{id}/cancel', { params: { path: { id: order.id } }, body: { reason: 'customer_request', refund: false } });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancel_reason: 'customer_request' });
    expect(await shop.get('/inventory/{product_id}', { params: { path: { product_id: productId } } })).toMatchObject({ total_reserved: 0, total_available: 4 });
  });

  it('sells the last unit once to two parallel buyers (one order, one 409 naming the item)', async () => {
    const productId = await stockedProduct(1);
    const attempts = await Promise.allSettled(
      [1, 2].map(() => shop.post('/orders', { body: { customer_id: customerId, items: [{ product_id: productId, quantity: 1 }], shipping_address: address } })),
    );
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const [refused] = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
    expect(refused.reason).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('creates an order once for one Idempotency-Key, however often it is retried', async () => {
    const productId = await stockedProduct(5);
    const key = randomUUID();
    const body = { customer_id: customerId, items: [{ product_id: productId, quantity: 2 }], shipping_address: address };
    const [first, second] = [await shop.post('/orders', { body, idempotencyKey: key }), await shop.post('/orders', { body, idempotencyKey: key })];
    expect(second.id).toBe(first.id);
    expect(await shop.get('/inventory/{product_id}', { params: { path: { product_id: productId } } })).toMatchObject({ total_reserved: 2 });
    await expect(shop.post('/orders', { body: { ...body, note: 'changed' }, idempotencyKey: key })).rejects.toMatchObject({ status: 422, code: 'idempotency_error' });
  });

  it('pays an order with a payment intent and walks every order with the cursor', async () => {
    const productId = await stockedProduct(3, 2500);
    const order = await shop.post('/orders', { body: { customer_id: customerId, items: [{ product_id: productId, quantity: 1 }], shipping_address: address } });
    const intent = await shop.post('/payments/intents', { body: { amount: order.total, currency: order.currency, payment_method: 'card', order_id: order.id, card: OK_CARD } });
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2500, order_id: order.id });
    expect((await shop.get('/orders/{id}', { params: { path: { id: order.id } } })).payment_status).toBe('paid');

    const all: string[] = [];
    for await (const o of shop.list('/orders', { params: { query: { customer_id: customerId, per_page: 2 } } })) all.push(o.id);
    const offset = await shop.get('/orders', { params: { query: { customer_id: customerId, per_page: 200 } } });
    expect(new Set(all)).toEqual(new Set(offset.map((o) => o.id)));
    expect(all.length).toBeGreaterThanOrEqual(5);
  });
});

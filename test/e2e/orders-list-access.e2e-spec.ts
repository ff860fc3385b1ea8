import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/app';
import { createApiKey } from '../support/factories';
import { createCustomer } from '../support/fixtures';
import { ADDRESS as address, OrderShop, startOrderShop } from '../support/order-shop';
import type { TypedApi } from '../support/typed-api';

describe('orders: GET /orders and access (e2e)', () => {
  let t: TestApp, shop: OrderShop, api: TypedApi, token: string, customerId: string;

  beforeAll(async () => {
    ({ t, shop, api, token, customerId } = await startOrderShop());
  });
  afterAll(() => t.close());

  describe('GET /orders', () => {
    let buyer: string;
    let ids: string[];

    beforeAll(async () => {
      buyer = (await createCustomer(api)).id;
      const p = await shop.stocked(50, { price: 100 });
      ids = [];
      for (const qty of [1, 5, 3]) {
        const res = await shop.createOrder({ customer_id: buyer, items: [{ product_id: p, quantity: qty }] });
        expect(res.status).toBe(201);
        ids.push(res.body.data.id);
      }
      expect((await shop.setStatus(ids[1], 'confirmed')).status).toBe(200);
      expect((await api.post('/orders/{id}/cancel', { path: { id: ids[2] }, body: { reason: 'dup' } })).status).toBe(200);
    });

    it('filters by customer, status, payment and fulfillment status and dates; sorts by total', async () => {
      const mine = await api.get('/orders', { query: { customer_id: buyer } });
      expect(mine.status).toBe(200);
      expect(mine.body.data.map((o) => o.id)).toEqual([...ids].reverse());
      expect(mine.body.data[0].items).toHaveLength(1);
      expect(mine.body.meta).toMatchObject({ page: 1, total: 3 });

      const confirmed = await api.get('/orders', { query: { customer_id: buyer, status: 'confirmed' } });
      expect(confirmed.body.data.map((o) => o.id)).toEqual([ids[1]]);
      const cancelled = await api.get('/orders', { query: { customer_id: buyer, status: 'cancelled' } });
      expect(cancelled.body.data.map((o) => o.id)).toEqual([ids[2]]);
      expect((await api.get('/orders', { query: { customer_id: buyer, payment_status: 'pending' } })).body.data).toHaveLength(3);
      expect((await api.get('/orders', { query: { customer_id: buyer, payment_status: 'paid' } })).body.data).toHaveLength(0);
      expect((await api.get('/orders', { query: { customer_id: buyer, fulfillment_status: 'unfulfilled' } })).body.data).toHaveLength(3);
      expect((await api.get('/orders', { query: { customer_id: buyer, fulfillment_status: 'fulfilled' } })).body.data).toHaveLength(0);

      const byTotal = await api.get('/orders', { query: { customer_id: buyer, sort: 'total', order: 'asc' } });
      expect(byTotal.body.data.map((o) => o.total)).toEqual([100, 300, 500]);

      const future = new Date(Date.now() + 3600_000).toISOString();
      expect((await api.get('/orders', { query: { customer_id: buyer, date_from: future } })).body.data).toHaveLength(0);
      expect((await api.get('/orders', { query: { customer_id: buyer, from: '2020-01-01', to: future } })).body.data).toHaveLength(3);
      expect((await api.get('/orders', { query: { customer_id: buyer, date_to: '2020-01-01' } })).body.data).toHaveLength(0);
    });

    it('answers 400 naming a bad filter, sort or paging value', async () => {
      for (const [name, value] of [['status', 'lost'], ['payment_status', 'maybe'], ['fulfillment_status', 'some'], ['date_from', 'yesterday'], ['sort', 'name'], ['order', 'up'], ['per_page', '500']]) {
        const res = await api.get('/orders', { query: { [name]: value } });
        expect([name, res.status]).toEqual([name, 400]);
        expect(res.body.error.field).toBe(name);
      }
    });

    it('pages with page/per_page and with cursors', async () => {
      const first = await api.get('/orders', { query: { customer_id: buyer, per_page: 2 } });
      expect(first.body.meta).toMatchObject({ page: 1, per_page: 2, total: 3, total_pages: 2, has_next: true });
      const second = await api.get('/orders', { query: { customer_id: buyer, per_page: 2, page: 2 } });
      expect(second.body.data.map((o) => o.id)).toEqual([ids[0]]);
      const next = await api.get('/orders', { query: { customer_id: buyer, per_page: 2, cursor: first.body.meta.next_cursor ?? undefined } });
      expect(next.status).toBe(200);
      expect(next.body.data.map((o) => o.id)).toEqual([ids[0]]);
      expect(next.body.meta.total).toBeUndefined();
      expect(next.body.meta.has_more).toBe(false);
    });

    it('feeds the customer order summary', async () => {
      const res = await api.get('/customers/{id}', { path: { id: buyer } });
      expect(res.status).toBe(200);
      expect(res.body.data.order_summary).toMatchObject({ order_count: 3, total_spent: 0, currency: 'usd' });
      expect(res.body.data.order_summary.last_order_at).not.toBeNull();
      expect((await api.delete('/customers/{id}', { path: { id: buyer } })).status).toBe(409);
    });
  });

  describe('access', () => {
    it("another tenant's order answers 404 on every route; its list is empty", async () => {
      const p = await shop.stocked(5);
      const o = await shop.order(p, 1);
      expect((await api.as(shop.other.accessToken).get('/orders/{id}', { path: { id: o.id } })).status).toBe(404);
      expect((await shop.setStatus(o.id, 'confirmed', undefined, shop.other.accessToken)).status).toBe(404);
      expect((await api.as(shop.other.accessToken).post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'x' } })).status).toBe(404);
      const list = await api.as(shop.other.accessToken).get('/orders');
      expect(list.body.data.some((x) => x.id === o.id)).toBe(false);
      // Nor can another tenant order this tenant's product or for its customer.
      const otherCustomer = (await createCustomer(api.as(shop.other.accessToken))).id;
      expect((await api.as(shop.other.accessToken).post('/orders', { body: { customer_id: otherCustomer, shipping_address: address, items: [{ product_id: p, quantity: 1 }] } })).status).toBe(404);
      expect((await api.as(shop.other.accessToken).post('/orders', { body: { customer_id: customerId, shipping_address: address, items: [{ product_id: p, quantity: 1 }] } })).status).toBe(404);
      // The sandbox is another world too.
      const testKey = await createApiKey(t.http, token, { mode: 'test' });
      expect((await api.as(testKey.secret).get('/orders/{id}', { path: { id: o.id } })).status).toBe(404);
    });

    it("a customer user sees only its own customer's orders (others 404) and cannot write", async () => {
      const p = await shop.stocked(10);
      const mine = (await createCustomer(api)).id;
      const theirs = (await createCustomer(api)).id;
      const own = (await shop.createOrder({ customer_id: mine, items: [{ product_id: p, quantity: 1 }] })).body.data;
      const foreign = (await shop.createOrder({ customer_id: theirs, items: [{ product_id: p, quantity: 1 }] })).body.data;
      const email = `portal-${randomUUID().slice(0, 8)}@example.test`;
      expect((await api.post('/users', { body: { email, password: 'customer-pass-1', role: 'customer', customer_id: mine } })).status).toBe(201);
      const login = await api.as(undefined).post('/auth/login', { body: { email, password: 'customer-pass-1', tenant_id: shop.tenantId } });
      expect(login.status).toBe(200);
      const portal = login.body.data.access_token;

      const got = await api.as(portal).get('/orders/{id}', { path: { id: own.id } });
      expect(got.status).toBe(200);
      expect(got.body.data.id).toBe(own.id);
      expect((await api.as(portal).get('/orders/{id}', { path: { id: foreign.id } })).status).toBe(404);
      const list = await api.as(portal).get('/orders');
      expect(list.status).toBe(200);
      expect(list.body.data.map((o) => o.id)).toEqual([own.id]);
      const asked = await api.as(portal).get('/orders', { query: { customer_id: theirs } });
      expect(asked.body.data).toEqual([]);
      expect((await shop.createOrder({ customer_id: mine, items: [{ product_id: p, quantity: 1 }] }, portal)).status).toBe(403);
      expect((await shop.setStatus(own.id, 'cancelled', undefined, portal)).status).toBe(403);
      expect((await api.as(portal).post('/orders/{id}/cancel', { path: { id: own.id }, body: { reason: 'x' } })).status).toBe(403);
    });

    it('needs credentials and the orders scopes', async () => {
      expect((await api.as(undefined).get('/orders')).status).toBe(401);
      const reader = await createApiKey(t.http, token, { scopes: ['orders:read'] });
      expect((await api.as(reader.secret).get('/orders')).status).toBe(200);
      const p = await shop.stocked(1);
      expect((await shop.createOrder({ items: [{ product_id: p, quantity: 1 }] }, reader.secret)).status).toBe(403);
      const readOnly = await createApiKey(t.http, token, { access: 'read_only' });
      expect((await shop.createOrder({ items: [{ product_id: p, quantity: 1 }] }, readOnly.secret)).status).toBe(403);
    });
  });
});

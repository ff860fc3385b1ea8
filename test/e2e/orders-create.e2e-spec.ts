import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import type { TestApp } from '../support/app';
import { addStock, createCustomer, createLocation, createProduct, signUpShop } from '../support/fixtures';
import { stockLedger } from '../support/observe';
import { ADDRESS as address, OrderShop, startOrderShop } from '../support/order-shop';
import { typedApi, type TypedApi } from '../support/typed-api';

describe('orders: POST /orders and concurrent buyers (e2e)', () => {
  let t: TestApp, db: DataSource, shop: OrderShop, api: TypedApi, token: string, customerId: string;

  beforeAll(async () => {
    ({ t, shop, api, token, customerId } = await startOrderShop());
    db = await ownerDb();
  });
  afterAll(() => t.close());

  describe('POST /orders', () => {
    it('prices items from the catalog (client prices ignored), totals in minor units, reserves stock, records history and order.created', async () => {
      const a = await shop.stocked(10, { price: 1999 });
      const b = (await createProduct(api, { price: 500 })).id;
      const variant = await api.post('/products/{id}/variants', { path: { id: b }, body: { sku: `V-${randomUUID().slice(0, 8)}`, price: 750 } });
      expect(variant.status).toBe(201);
      await addStock(api, b, 5, { variant_id: variant.body.data.id, location: shop.locationId });

      const res = await shop.createOrder({
        items: [
          { product_id: a, quantity: 3, price: 1 },
          { product_id: b, variant_id: variant.body.data.id, quantity: 2, unit_price: 0.01 },
        ],
        billing_address: { line1: '2 Bill St', city: 'Paris', country: 'FR' },
        shipping_method: 'standard',
        payment_method: 'card',
        note: 'leave at the door',
      });
      expect(res.status).toBe(201);
      const o = res.body.data;
      expect(o.id).toMatch(/^ord_/);
      expect(o).toMatchObject({
        customer_id: customerId, status: 'pending', payment_status: 'pending', fulfillment_status: 'unfulfilled',
        currency: 'usd', subtotal: 3 * 1999 + 2 * 750, shipping_total: 0, tax_total: 0, total: 3 * 1999 + 2 * 750,
        amount_paid: 0, amount_refunded: 0, shipping_method: 'standard', payment_method: 'card', note: 'leave at the door',
        cancel_reason: null, cancelled_at: null,
      });
      expect(o.items).toEqual([
        expect.objectContaining({ product_id: a, variant_id: null, unit_price: 1999, quantity: 3, line_total: 5997, name: 'Widget' }),
        expect.objectContaining({ product_id: b, variant_id: variant.body.data.id, unit_price: 750, quantity: 2, line_total: 1500 }),
      ]);
      expect(o.items[0].id).toMatch(/^line_/);
      expect(o.shipping_address).toMatchObject({ line1: '1 Main St', country: 'GB', line2: null });
      expect(o.billing_address).toMatchObject({ line1: '2 Bill St', city: 'Paris', first_name: null });
      expect(o.status_history).toEqual([
        expect.objectContaining({ from_status: null, to_status: 'pending', actor: shop.ownerId, note: 'leave at the door' }),
      ]);
      expect(await shop.inventory(a)).toMatchObject({ total_on_hand: 10, total_reserved: 3, total_available: 7 });
      expect(await shop.inventory(b)).toMatchObject({ total_on_hand: 5, total_reserved: 2, total_available: 3 });

      const got = await api.get('/orders/{id}', { path: { id: o.id } });
      expect(got.status).toBe(200);
      expect(got.body.data).toEqual(o);
      const created = (await shop.events('order.created')).find((e) => e.data.object.id === o.id);
      expect(created?.data.object).toMatchObject({ id: o.id, total: o.total, status: 'pending' });
      // billing defaults to shipping
      const c = await shop.order(a, 1);
      expect(c.billing_address).toEqual(c.shipping_address);
    });

    it('rejects bad bodies (422), unknown customer/product/variant (404), inactive products and mixed currencies (422)', async () => {
      const a = await shop.stocked(5);
      expect((await shop.createOrder({ items: [] })).status).toBe(422);
      expect((await shop.createOrder({ items: [{ product_id: a, quantity: 0 }] })).status).toBe(422);
      expect((await shop.createOrder({ items: [{ product_id: a, quantity: 1.5 }] })).status).toBe(422);
      const unknownField = await shop.createOrder({ items: [{ product_id: a, quantity: 1 }], total: 1 });
      expect(unknownField.status).toBe(422);
      expect(unknownField.body.error.details[0].field).toBe('total');
      const noAddress = await api.send('post', '/orders', { body: { customer_id: customerId, items: [{ product_id: a, quantity: 1 }] } });
      expect(noAddress.status).toBe(422);
      expect(noAddress.body.error.field).toBe('shipping_address');
      for (const bad of [{ items: [null] }, { items: 'x' }, { items: [{ product_id: a, variant_id: 7, quantity: 1 }] }, { items: [{ product_id: a, quantity: 1 }], shipping_address: 'x' },
        { items: [{ product_id: a, quantity: 1 }], shipping_address: { line1: 'x', city: 'y', country: 'gb' } }, { items: [{ product_id: a, quantity: 1 }], currency: 'USD' }]) {
        expect([bad, (await shop.createOrder(bad)).status]).toEqual([bad, 422]);
      }
      expect((await shop.createOrder({ items: [{ product_id: a, quantity: 1 }], customer_id: 'cus_nope' })).status).toBe(404);
      expect((await shop.createOrder({ items: [{ product_id: 'prod_nope', quantity: 1 }] })).status).toBe(404);
      expect((await shop.createOrder({ items: [{ product_id: a, variant_id: 'var_nope', quantity: 1 }] })).status).toBe(404);

      const draft = (await createProduct(api, { status: 'draft' })).id;
      const draftRes = await shop.createOrder({ items: [{ product_id: draft, quantity: 1 }] });
      expect(draftRes.status).toBe(422);
      expect(draftRes.body.error.field).toBe('items[0].product_id');

      const eur = await shop.stocked(5, { currency: 'eur' });
      const mixed = await shop.createOrder({ items: [{ product_id: a, quantity: 1 }, { product_id: eur, quantity: 1 }] });
      expect(mixed.status).toBe(422);
      expect(mixed.body.error.field).toBe('items[1].product_id');
      const wrongCurrency = await shop.createOrder({ items: [{ product_id: a, quantity: 1 }], currency: 'eur' });
      expect(wrongCurrency.status).toBe(422);
      expect(await shop.inventory(a)).toMatchObject({ total_reserved: 0 });
      expect(await shop.inventory(eur)).toMatchObject({ total_reserved: 0 });
    });

    it('a two-line order whose second line is short reserves nothing and creates nothing (409 naming the item)', async () => {
      const a = await shop.stocked(10);
      const b = await shop.stocked(1);
      const before = (await api.get('/orders', { query: { per_page: 1 } })).body.meta.total;
      const res = await shop.createOrder({ items: [{ product_id: a, quantity: 2 }, { product_id: b, quantity: 2 }] });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.field).toBe('items[1].quantity');
      expect(res.body.error.message).toContain(b);
      expect(await shop.inventory(a)).toMatchObject({ total_on_hand: 10, total_reserved: 0, total_available: 10 });
      expect(await shop.inventory(b)).toMatchObject({ total_on_hand: 1, total_reserved: 0, total_available: 1 });
      expect((await api.get('/orders', { query: { per_page: 1 } })).body.meta.total).toBe(before);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM stock_movements WHERE tenant_id = $1 AND kind = 'reservation' AND product_id = ANY($2)`, [shop.tenantId, [a, b]]);
      expect(count).toBe(0);
      // Without stock at all (no level row) the answer is the same.
      const none = (await createProduct(api)).id;
      expect((await shop.createOrder({ items: [{ product_id: none, quantity: 1 }] })).status).toBe(409);
    });

    it('replays with the same Idempotency-Key without a second order or reservation', async () => {
      const a = await shop.stocked(5);
      const key = randomUUID();
      const first = await shop.createOrder({ items: [{ product_id: a, quantity: 2 }] }, token, { 'Idempotency-Key': key });
      const again = await shop.createOrder({ items: [{ product_id: a, quantity: 2 }] }, token, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data.id).toBe(first.body.data.id);
      expect(await shop.inventory(a)).toMatchObject({ total_reserved: 2 });
    });
  });

  describe('concurrency', () => {
    it('200 concurrent orders for 100 units: exactly 100 succeed, 100 get 409, stock and ledger consistent', async () => {
      const fresh = await signUpShop(t.http, 'Rush shop');
      const rush = typedApi(t.http, fresh.accessToken);
      const loc = await createLocation(rush, { name: 'Only', code: 'ONLY' });
      const productId = (await createProduct(rush, { price: 1000 })).id;
      await addStock(rush, productId, 100, { location: loc.id });
      const buyer = (await createCustomer(rush)).id;

      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          rush.post('/orders', { body: { customer_id: buyer, shipping_address: address, items: [{ product_id: productId, quantity: 1 }] } }),
        ),
      );
      const elapsed = Date.now() - started;
      const statuses = results.map((r) => r.status);
      const ok = statuses.filter((s) => s === 201).length;
      const conflicts = statuses.filter((s) => s === 409).length;
      const inv = (await rush.get('/inventory/{product_id}', { path: { product_id: productId } })).body.data;
      const ledger = await stockLedger(fresh.tenantId, productId);
      const [{ orders }] = await db.query(`SELECT count(*)::int AS orders FROM orders WHERE tenant_id = $1`, [fresh.tenantId]);
      const [{ lines }] = await db.query(`SELECT count(*)::int AS lines FROM order_lines WHERE tenant_id = $1`, [fresh.tenantId]);
      const [{ reservations }] = await db.query(
        `SELECT count(*)::int AS reservations FROM stock_movements WHERE tenant_id = $1 AND product_id = $2 AND kind = 'reservation'`,
        [fresh.tenantId, productId],
      );
      console.log(`orders concurrency: ${ok} × 201, ${conflicts} × 409 in ${elapsed} ms; on_hand ${inv.total_on_hand}, reserved ${inv.total_reserved}, available ${inv.total_available}; ledger ${JSON.stringify(ledger)}; orders ${orders}, lines ${lines}, reservations ${reservations}`);

      expect(ok).toBe(100);
      expect(conflicts).toBe(100);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'conflict' && r.body.error.field === 'items[0].quantity')).toBe(true);
      expect(inv).toMatchObject({ total_on_hand: 100, total_reserved: 100, total_available: 0 });
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({ on_hand: 100, reserved: 100, on_hand_sum: 100, reserved_sum: 100 });
      expect(ledger[0].on_hand - ledger[0].reserved).toBeGreaterThanOrEqual(0);
      expect(orders).toBe(100);
      expect(lines).toBe(100);
      expect(reservations).toBe(100);
      const movements = await rush.get('/inventory/{product_id}/movements', { path: { product_id: productId }, query: { per_page: 200 } });
      expect(movements.status).toBe(200);
      const sums = movements.body.data.reduce(
        (s, m) => ({ onHand: s.onHand + m.on_hand_delta, reserved: s.reserved + m.reserved_delta }), { onHand: 0, reserved: 0 },
      );
      expect(sums).toEqual({ onHand: 100, reserved: 100 });
    });
  });
});

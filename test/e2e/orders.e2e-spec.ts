import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

type Status = 'pending' | 'confirmed' | 'processing' | 'shipped' | 'delivered' | 'cancelled' | 'refunded';
const STATUSES: Status[] = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'];
/** The path from pending to each status (cancelled via pending). */
const PATH_TO: Record<Exclude<Status, 'refunded'>, Status[]> = {
  pending: [],
  confirmed: ['confirmed'],
  processing: ['confirmed', 'processing'],
  shipped: ['confirmed', 'processing', 'shipped'],
  delivered: ['confirmed', 'processing', 'shipped', 'delivered'],
  cancelled: ['cancelled'],
};
/** What the state machine allows next (without payment, refunded is refused by its guard instead). */
const NEXT: Record<Status, Status[]> = {
  pending: ['confirmed', 'cancelled', 'refunded'],
  confirmed: ['processing', 'cancelled', 'refunded'],
  processing: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

describe('orders (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let shop: TenantFixture;
  let other: TenantFixture;
  let token: string;
  let locationId: string;
  let customerId: string;

  const address = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

  /** Signs up a tenant whose rate limits cannot get in the way (set before its first authenticated request). */
  async function tenant(name: string): Promise<TenantFixture> {
    const fixture = await signUpTenant(t.http, name);
    await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [fixture.tenantId]);
    return fixture;
  }

  async function product(tok: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.http.post('/api/v1/products', { name: 'Widget', sku: `SKU-${randomUUID().slice(0, 8)}`, price: 1999, ...extra }, { token: tok });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function stock(tok: string, productId: string, quantity: number, extra: Record<string, unknown> = {}, loc = locationId) {
    const res = await t.http.post(`/api/v1/inventory/${productId}/adjust`, { quantity, reason: 'received', location: loc, ...extra }, { token: tok });
    expect(res.status).toBe(200);
  }

  async function stocked(quantity: number, extra: Record<string, unknown> = {}): Promise<string> {
    const id = await product(token, extra);
    await stock(token, id, quantity);
    return id;
  }

  async function customer(tok = token): Promise<string> {
    const res = await t.http.post('/api/v1/customers', { email: `buyer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'B', last_name: 'Uyer' }, { token: tok });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  function createOrder(body: Record<string, unknown>, tok = token, headers: Record<string, string> = {}) {
    return t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, ...body }, { token: tok, headers });
  }

  async function order(productId: string, quantity = 1, extra: Record<string, unknown> = {}) {
    const res = await createOrder({ items: [{ product_id: productId, quantity }], ...extra });
    expect(res.status).toBe(201);
    return res.body.data;
  }

  function setStatus(id: string, status: string, note?: string, tok = token) {
    return t.http.patch(`/api/v1/orders/${id}/status`, { status, ...(note ? { note } : {}) }, { token: tok });
  }

  async function inventory(productId: string) {
    const res = await t.http.get(`/api/v1/inventory/${productId}`, { token });
    expect(res.status).toBe(200);
    return res.body.data as { total_on_hand: number; total_reserved: number; total_available: number };
  }

  async function events(type: string, tok = token) {
    const res = await t.http.get('/api/v1/events', { token: tok, query: { type, per_page: 200 } });
    expect(res.status).toBe(200);
    return res.body.data as { type: string; data: { object: Record<string, unknown> } }[];
  }

  /** For each level of the product: the ledger's deltas summed next to the level's columns. */
  async function ledgerCheck(tenantId: string, productId: string) {
    return db.query(
      `SELECT l.on_hand, l.reserved,
              coalesce(sum(m.quantity_on_hand_delta), 0)::int AS on_hand_sum,
              coalesce(sum(m.quantity_reserved_delta), 0)::int AS reserved_sum
         FROM stock_levels l
         LEFT JOIN stock_movements m ON m.tenant_id = l.tenant_id AND m.mode = l.mode AND m.product_id = l.product_id
                                    AND m.variant_key = l.variant_key AND m.location_id = l.location_id
        WHERE l.tenant_id = $1 AND l.product_id = $2
        GROUP BY l.variant_key, l.location_id, l.on_hand, l.reserved`,
      [tenantId, productId],
    ) as Promise<{ on_hand: number; reserved: number; on_hand_sum: number; reserved_sum: number }[]>;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
    shop = await tenant('Orders shop');
    other = await tenant('Other shop');
    token = shop.accessToken;
    const loc = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, { token });
    expect(loc.status).toBe(201);
    locationId = loc.body.data.id;
    customerId = await customer();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /orders', () => {
    it('prices items from the catalog (client prices ignored), totals in minor units, reserves stock, records history and order.created', async () => {
      const a = await stocked(10, { price: 1999 });
      const b = await product(token, { price: 500 });
      const variant = await t.http.post(`/api/v1/products/${b}/variants`, { sku: `V-${randomUUID().slice(0, 8)}`, price: 750 }, { token });
      expect(variant.status).toBe(201);
      await stock(token, b, 5, { variant_id: variant.body.data.id });

      const res = await createOrder({
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
      expect(await inventory(a)).toMatchObject({ total_on_hand: 10, total_reserved: 3, total_available: 7 });
      expect(await inventory(b)).toMatchObject({ total_on_hand: 5, total_reserved: 2, total_available: 3 });

      const got = await t.http.get(`/api/v1/orders/${o.id}`, { token });
      expect(got.status).toBe(200);
      expect(got.body.data).toEqual(o);
      const created = (await events('order.created')).find((e) => e.data.object.id === o.id);
      expect(created?.data.object).toMatchObject({ id: o.id, total: o.total, status: 'pending' });
      // billing defaults to shipping
      const c = await order(a, 1);
      expect(c.billing_address).toEqual(c.shipping_address);
    });

    it('rejects bad bodies (422), unknown customer/product/variant (404), inactive products and mixed currencies (422)', async () => {
      const a = await stocked(5);
      expect((await createOrder({ items: [] })).status).toBe(422);
      expect((await createOrder({ items: [{ product_id: a, quantity: 0 }] })).status).toBe(422);
      expect((await createOrder({ items: [{ product_id: a, quantity: 1.5 }] })).status).toBe(422);
      const unknownField = await createOrder({ items: [{ product_id: a, quantity: 1 }], total: 1 });
      expect(unknownField.status).toBe(422);
      expect(unknownField.body.error.details[0].field).toBe('total');
      const noAddress = await t.http.post('/api/v1/orders', { customer_id: customerId, items: [{ product_id: a, quantity: 1 }] }, { token });
      expect(noAddress.status).toBe(422);
      expect(noAddress.body.error.field).toBe('shipping_address');
      for (const bad of [{ items: [null] }, { items: 'x' }, { items: [{ product_id: a, variant_id: 7, quantity: 1 }] }, { items: [{ product_id: a, quantity: 1 }], shipping_address: 'x' },
        { items: [{ product_id: a, quantity: 1 }], shipping_address: { line1: 'x', city: 'y', country: 'gb' } }, { items: [{ product_id: a, quantity: 1 }], currency: 'USD' }]) {
        expect([bad, (await createOrder(bad)).status]).toEqual([bad, 422]);
      }
      expect((await createOrder({ items: [{ product_id: a, quantity: 1 }], customer_id: 'cus_nope' })).status).toBe(404);
      expect((await createOrder({ items: [{ product_id: 'prod_nope', quantity: 1 }] })).status).toBe(404);
      expect((await createOrder({ items: [{ product_id: a, variant_id: 'var_nope', quantity: 1 }] })).status).toBe(404);

      const draft = await product(token, { status: 'draft' });
      const draftRes = await createOrder({ items: [{ product_id: draft, quantity: 1 }] });
      expect(draftRes.status).toBe(422);
      expect(draftRes.body.error.field).toBe('items[0].product_id');

      const eur = await stocked(5, { currency: 'eur' });
      const mixed = await createOrder({ items: [{ product_id: a, quantity: 1 }, { product_id: eur, quantity: 1 }] });
      expect(mixed.status).toBe(422);
      expect(mixed.body.error.field).toBe('items[1].product_id');
      const wrongCurrency = await createOrder({ items: [{ product_id: a, quantity: 1 }], currency: 'eur' });
      expect(wrongCurrency.status).toBe(422);
      expect(await inventory(a)).toMatchObject({ total_reserved: 0 });
      expect(await inventory(eur)).toMatchObject({ total_reserved: 0 });
    });

    it('a two-line order whose second line is short reserves nothing and creates nothing (409 naming the item)', async () => {
      const a = await stocked(10);
      const b = await stocked(1);
      const before = (await t.http.get('/api/v1/orders', { token, query: { per_page: 1 } })).body.meta.total;
      const res = await createOrder({ items: [{ product_id: a, quantity: 2 }, { product_id: b, quantity: 2 }] });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.field).toBe('items[1].quantity');
      expect(res.body.error.message).toContain(b);
      expect(await inventory(a)).toMatchObject({ total_on_hand: 10, total_reserved: 0, total_available: 10 });
      expect(await inventory(b)).toMatchObject({ total_on_hand: 1, total_reserved: 0, total_available: 1 });
      expect((await t.http.get('/api/v1/orders', { token, query: { per_page: 1 } })).body.meta.total).toBe(before);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM stock_movements WHERE tenant_id = $1 AND kind = 'reservation' AND product_id = ANY($2)`, [shop.tenantId, [a, b]]);
      expect(count).toBe(0);
      // Without stock at all (no level row) the answer is the same.
      const none = await product(token);
      expect((await createOrder({ items: [{ product_id: none, quantity: 1 }] })).status).toBe(409);
    });

    it('replays with the same Idempotency-Key without a second order or reservation', async () => {
      const a = await stocked(5);
      const key = randomUUID();
      const first = await createOrder({ items: [{ product_id: a, quantity: 2 }] }, token, { 'Idempotency-Key': key });
      const again = await createOrder({ items: [{ product_id: a, quantity: 2 }] }, token, { 'Idempotency-Key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data.id).toBe(first.body.data.id);
      expect(await inventory(a)).toMatchObject({ total_reserved: 2 });
    });
  });

  describe('concurrency', () => {
    it('200 concurrent orders for 100 units: exactly 100 succeed, 100 get 409, stock and ledger consistent', async () => {
      const fresh = await tenant('Rush shop');
      const tok = fresh.accessToken;
      const loc = await t.http.post('/api/v1/locations', { name: 'Only', code: 'ONLY' }, { token: tok });
      const productId = await product(tok, { price: 1000 });
      await stock(tok, productId, 100, {}, loc.body.data.id);
      const buyer = await customer(tok);

      const started = Date.now();
      const results = await Promise.all(
        Array.from({ length: 200 }, () =>
          t.http.post('/api/v1/orders', { customer_id: buyer, shipping_address: address, items: [{ product_id: productId, quantity: 1 }] }, { token: tok }),
        ),
      );
      const elapsed = Date.now() - started;
      const statuses = results.map((r) => r.status);
      const ok = statuses.filter((s) => s === 201).length;
      const conflicts = statuses.filter((s) => s === 409).length;
      const inv = (await t.http.get(`/api/v1/inventory/${productId}`, { token: tok })).body.data;
      const ledger = await ledgerCheck(fresh.tenantId, productId);
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
      const movements = await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: tok, query: { per_page: 200 } });
      expect(movements.status).toBe(200);
      const sums = (movements.body.data as { on_hand_delta: number; reserved_delta: number }[]).reduce(
        (s, m) => ({ onHand: s.onHand + m.on_hand_delta, reserved: s.reserved + m.reserved_delta }), { onHand: 0, reserved: 0 },
      );
      expect(sums).toEqual({ onHand: 100, reserved: 100 });
    });
  });

  describe('status machine', () => {
    /** A fresh order moved along the path to `status`. */
    async function orderIn(status: Exclude<Status, 'refunded'>, productId?: string) {
      const p = productId ?? (await stocked(5));
      const o = await order(p, 2);
      for (const s of PATH_TO[status]) expect((await setStatus(o.id, s)).status).toBe(200);
      return { id: o.id as string, productId: p };
    }

    it('walks pending → confirmed → processing → shipped → delivered, recording actor and note; shipping commits the stock', async () => {
      const p = await stocked(5);
      const o = await order(p, 2);
      const steps: [Status, string][] = [['confirmed', 'payment ok'], ['processing', 'picking'], ['shipped', 'UPS 1Z'], ['delivered', 'signed']];
      for (const [status, note] of steps) {
        const res = await setStatus(o.id, status, note);
        expect(res.status).toBe(200);
        expect(res.body.data.status).toBe(status);
        if (status === 'processing') expect(await inventory(p)).toMatchObject({ total_on_hand: 5, total_reserved: 2, total_available: 3 });
        if (status === 'shipped') {
          expect(await inventory(p)).toMatchObject({ total_on_hand: 3, total_reserved: 0, total_available: 3 });
          expect(res.body.data.fulfillment_status).toBe('unfulfilled');
        }
      }
      const got = (await t.http.get(`/api/v1/orders/${o.id}`, { token })).body.data;
      expect(got.fulfillment_status).toBe('fulfilled');
      expect(got.status_history.map((h: { from_status: string | null; to_status: string }) => [h.from_status, h.to_status])).toEqual([
        [null, 'pending'], ['pending', 'confirmed'], ['confirmed', 'processing'], ['processing', 'shipped'], ['shipped', 'delivered'],
      ]);
      expect(got.status_history.slice(1).map((h: { note: string }) => h.note)).toEqual(['payment ok', 'picking', 'UPS 1Z', 'signed']);
      expect(got.status_history.every((h: { actor: string }) => h.actor === shop.ownerId)).toBe(true);
      const ledger = await ledgerCheck(shop.tenantId, p);
      expect(ledger[0]).toMatchObject({ on_hand: 3, reserved: 0, on_hand_sum: 3, reserved_sum: 0 });
      expect((await events('order.fulfilled')).some((e) => e.data.object.id === o.id)).toBe(true);
      expect((await events('order.updated')).filter((e) => e.data.object.id === o.id)).toHaveLength(3);
    });

    it('records an API key as the actor', async () => {
      const key = await createApiKey(t.http, token, { scopes: ['orders:write', 'orders:read'] });
      const { id } = await orderIn('pending');
      const res = await setStatus(id, 'confirmed', undefined, key.secret);
      expect(res.status).toBe(200);
      expect(res.body.data.status_history[1]).toMatchObject({ actor: key.id, note: null });
    });

    it.each(['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled'] as const)(
      'from %s refuses every transition the machine does not list (409 with the allowed ones)',
      async (from) => {
        const { id } = await orderIn(from);
        const refused = STATUSES.filter((s) => !NEXT[from].includes(s));
        for (const to of refused) {
          const res = await setStatus(id, to);
          expect([to, res.status]).toEqual([to, 409]);
          expect(res.body.error.code).toBe('conflict');
          expect(res.body.error.field).toBe('status');
          expect(res.body.error.details.map((d: { message: string }) => d.message)).toEqual(NEXT[from]);
        }
        // refunded is listed but guarded: nothing was captured.
        const refund = await setStatus(id, 'refunded');
        expect(refund.status).toBe(409);
        expect(refund.body.error.message).toMatch(/nothing captured/);
        const after = (await t.http.get(`/api/v1/orders/${id}`, { token })).body.data;
        expect(after.status).toBe(from);
        expect(after.status_history).toHaveLength(PATH_TO[from].length + 1);
      },
    );

    it('rejects an unknown status (422) and unknown or malformed ids (404)', async () => {
      const { id } = await orderIn('pending');
      expect((await setStatus(id, 'teleported')).status).toBe(422);
      expect((await t.http.patch(`/api/v1/orders/${id}/status`, { status: 'confirmed', extra: 1 }, { token })).status).toBe(422);
      expect((await setStatus('ord_01h2xcejqtf2nbrexx3vqjhp41', 'confirmed')).status).toBe(404);
      expect((await setStatus('not-an-id', 'confirmed')).status).toBe(404);
    });

    it('cancelling through PATCH releases the reservation', async () => {
      const { id, productId } = await orderIn('processing');
      const res = await setStatus(id, 'cancelled', 'out of business');
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'cancelled' });
      expect(res.body.data.cancelled_at).not.toBeNull();
      expect(await inventory(productId)).toMatchObject({ total_on_hand: 5, total_reserved: 0, total_available: 5 });
    });

    it('concurrent transitions of one order: exactly one wins', async () => {
      const { id, productId } = await orderIn('processing');
      const results = await Promise.all([setStatus(id, 'shipped'), setStatus(id, 'cancelled'), setStatus(id, 'shipped'), setStatus(id, 'cancelled')]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409]);
      const final = (await t.http.get(`/api/v1/orders/${id}`, { token })).body.data;
      expect(final.status_history).toHaveLength(4);
      const inv = await inventory(productId);
      if (final.status === 'shipped') expect(inv).toMatchObject({ total_on_hand: 3, total_reserved: 0 });
      else expect(inv).toMatchObject({ total_on_hand: 5, total_reserved: 0 });
      const ledger = await ledgerCheck(shop.tenantId, productId);
      expect(ledger[0].on_hand_sum).toBe(ledger[0].on_hand);
      expect(ledger[0].reserved_sum).toBe(ledger[0].reserved);
    });
  });

  describe('POST /orders/{id}/cancel', () => {
    it('cancels pending, confirmed and processing orders, releasing stock, recording reason and note, emitting order.cancelled', async () => {
      const p = await stocked(10);
      for (const path of [[], ['confirmed'], ['confirmed', 'processing']]) {
        const o = await order(p, 3);
        for (const s of path) expect((await setStatus(o.id, s)).status).toBe(200);
        expect(await inventory(p)).toMatchObject({ total_reserved: 3 });
        const res = await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'customer_request', refund: false, note: 'changed mind' }, { token });
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ status: 'cancelled', cancel_reason: 'customer_request', payment_status: 'pending' });
        expect(res.body.data.status_history.at(-1)).toMatchObject({ to_status: 'cancelled', note: 'customer_request: changed mind', actor: shop.ownerId });
        expect(await inventory(p)).toMatchObject({ total_on_hand: 10, total_reserved: 0, total_available: 10 });
        expect((await events('order.cancelled')).some((e) => e.data.object.id === o.id)).toBe(true);
      }
      const ledger = await ledgerCheck(shop.tenantId, p);
      expect(ledger[0]).toMatchObject({ on_hand: 10, reserved: 0, on_hand_sum: 10, reserved_sum: 0 });
    });

    it('refuses shipped, delivered and cancelled orders (409) and bad bodies (422); refund with nothing captured refunds nothing', async () => {
      const p = await stocked(10);
      const o = await order(p, 1);
      expect((await t.http.post(`/api/v1/orders/${o.id}/cancel`, { refund: false }, { token })).status).toBe(422);
      const done = await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'fraud', refund: true }, { token });
      expect(done.status).toBe(200);
      expect(done.body.data).toMatchObject({ status: 'cancelled', amount_refunded: 0 });
      const again = await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'fraud' }, { token });
      expect(again.status).toBe(409);
      expect(again.body.error.details.map((d: { message: string }) => d.message)).toEqual(['refunded']);
      const shipped = await order(p, 1);
      for (const s of ['confirmed', 'processing', 'shipped']) expect((await setStatus(shipped.id, s)).status).toBe(200);
      const late = await t.http.post(`/api/v1/orders/${shipped.id}/cancel`, { reason: 'too late' }, { token });
      expect(late.status).toBe(409);
      expect(late.body.error.details.map((d: { message: string }) => d.message)).toEqual(['delivered', 'refunded']);
      expect(await inventory(p)).toMatchObject({ total_on_hand: 9, total_reserved: 0 });
    });
  });

  describe('GET /orders', () => {
    let buyer: string;
    let ids: string[];

    beforeAll(async () => {
      buyer = await customer();
      const p = await stocked(50, { price: 100 });
      ids = [];
      for (const qty of [1, 5, 3]) {
        const res = await createOrder({ customer_id: buyer, items: [{ product_id: p, quantity: qty }] });
        expect(res.status).toBe(201);
        ids.push(res.body.data.id);
      }
      expect((await setStatus(ids[1], 'confirmed')).status).toBe(200);
      expect((await t.http.post(`/api/v1/orders/${ids[2]}/cancel`, { reason: 'dup' }, { token })).status).toBe(200);
    });

    it('filters by customer, status, payment and fulfillment status and dates; sorts by total', async () => {
      const mine = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer } });
      expect(mine.status).toBe(200);
      expect(mine.body.data.map((o: { id: string }) => o.id)).toEqual([...ids].reverse());
      expect(mine.body.data[0].items).toHaveLength(1);
      expect(mine.body.meta).toMatchObject({ page: 1, total: 3 });

      const confirmed = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, status: 'confirmed' } });
      expect(confirmed.body.data.map((o: { id: string }) => o.id)).toEqual([ids[1]]);
      const cancelled = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, status: 'cancelled' } });
      expect(cancelled.body.data.map((o: { id: string }) => o.id)).toEqual([ids[2]]);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, payment_status: 'pending' } })).body.data).toHaveLength(3);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, payment_status: 'paid' } })).body.data).toHaveLength(0);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, fulfillment_status: 'unfulfilled' } })).body.data).toHaveLength(3);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, fulfillment_status: 'fulfilled' } })).body.data).toHaveLength(0);

      const byTotal = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, sort: 'total', order: 'asc' } });
      expect(byTotal.body.data.map((o: { total: number }) => o.total)).toEqual([100, 300, 500]);

      const future = new Date(Date.now() + 3600_000).toISOString();
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, date_from: future } })).body.data).toHaveLength(0);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, from: '2020-01-01', to: future } })).body.data).toHaveLength(3);
      expect((await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, date_to: '2020-01-01' } })).body.data).toHaveLength(0);
    });

    it('answers 400 naming a bad filter, sort or paging value', async () => {
      for (const [name, value] of [['status', 'lost'], ['payment_status', 'maybe'], ['fulfillment_status', 'some'], ['date_from', 'yesterday'], ['sort', 'name'], ['order', 'up'], ['per_page', '500']]) {
        const res = await t.http.get('/api/v1/orders', { token, query: { [name]: value } });
        expect([name, res.status]).toEqual([name, 400]);
        expect(res.body.error.field).toBe(name);
      }
    });

    it('pages with page/per_page and with cursors', async () => {
      const first = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, per_page: 2 } });
      expect(first.body.meta).toMatchObject({ page: 1, per_page: 2, total: 3, total_pages: 2, has_next: true });
      const second = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, per_page: 2, page: 2 } });
      expect(second.body.data.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
      const next = await t.http.get('/api/v1/orders', { token, query: { customer_id: buyer, per_page: 2, cursor: first.body.meta.next_cursor } });
      expect(next.status).toBe(200);
      expect(next.body.data.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
      expect(next.body.meta.total).toBeUndefined();
      expect(next.body.meta.has_more).toBe(false);
    });

    it('feeds the customer order summary', async () => {
      const res = await t.http.get(`/api/v1/customers/${buyer}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.data.order_summary).toMatchObject({ order_count: 3, total_spent: 0, currency: 'usd' });
      expect(res.body.data.order_summary.last_order_at).not.toBeNull();
      expect((await t.http.delete(`/api/v1/customers/${buyer}`, { token })).status).toBe(409);
    });
  });

  describe('payments (sandbox)', () => {
    let key: string;
    let sandboxProduct: string;
    let sandboxCustomer: string;
    const card = (number: string) => ({ number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' });

    function pay(orderId: string, amount: number, number = '4242424242424242', currency = 'usd') {
      return t.http.post('/api/v1/payments/intents', { amount, currency, payment_method: 'card', order_id: orderId, card: card(number) }, { token: key });
    }

    async function sandboxOrder(quantity = 2) {
      const res = await t.http.post('/api/v1/orders', { customer_id: sandboxCustomer, shipping_address: address, items: [{ product_id: sandboxProduct, quantity }] }, { token: key });
      expect(res.status).toBe(201);
      expect(res.body.meta.livemode).toBe(false);
      return res.body.data as { id: string; total: number };
    }

    async function paidOrder(quantity = 2) {
      const o = await sandboxOrder(quantity);
      const intent = await pay(o.id, o.total);
      expect(intent.status).toBe(201);
      expect(intent.body.data.status).toBe('succeeded');
      return { ...o, intentId: intent.body.data.id as string };
    }

    const getOrder = async (id: string) => (await t.http.get(`/api/v1/orders/${id}`, { token: key })).body.data;
    const sandboxStock = async () => (await t.http.get(`/api/v1/inventory/${sandboxProduct}`, { token: key })).body.data;

    beforeAll(async () => {
      key = (await createApiKey(t.http, token, { mode: 'test' })).secret;
      const loc = await t.http.post('/api/v1/locations', { name: 'Sandbox', code: 'SBX' }, { token: key });
      expect(loc.status).toBe(201);
      sandboxProduct = await product(key, { price: 2500 });
      await stock(key, sandboxProduct, 100, {}, loc.body.data.id);
      sandboxCustomer = await customer(key);
    });

    it('a captured payment makes the order paid; overpaying, another currency or paying a cancelled order is 409', async () => {
      const o = await paidOrder();
      const got = await getOrder(o.id);
      expect(got).toMatchObject({ total: 5000, payment_status: 'paid', amount_paid: 5000, amount_refunded: 0, status: 'pending' });
      expect((await pay(o.id, 1)).status).toBe(409);
      const part = await sandboxOrder();
      expect((await pay(part.id, 100, '4242424242424242', 'eur')).status).toBe(409);
      expect((await t.http.post('/api/v1/payments/intents', { amount: 1, currency: 'usd', payment_method: 'card', order_id: 'ord_01h2xcejqtf2nbrexx3vqjhp41', card: card('4242424242424242') }, { token: key })).status).toBe(404);
      expect((await t.http.post(`/api/v1/orders/${part.id}/cancel`, { reason: 'x' }, { token: key })).status).toBe(200);
      expect((await pay(part.id, 100)).status).toBe(409);
      const updated = (await events('order.updated', key)).filter((e) => e.data.object.id === o.id);
      expect(updated.some((e) => e.data.object.payment_status === 'paid')).toBe(true);
    });

    it('a declined card leaves the order failed', async () => {
      const o = await sandboxOrder();
      const intent = await pay(o.id, o.total, '4000000000000002');
      expect(intent.status).toBe(201);
      expect(intent.body.data.status).toBe('failed');
      expect(await getOrder(o.id)).toMatchObject({ payment_status: 'failed', amount_paid: 0 });
    });

    it('cancel with refund: true refunds the captured payment, releases stock and emits order.refunded', async () => {
      const before = await sandboxStock();
      const o = await paidOrder(3);
      expect((await sandboxStock()).total_reserved).toBe(before.total_reserved + 3);
      const res = await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'customer_request', refund: true, note: 'changed mind' }, { token: key });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'cancelled', payment_status: 'refunded', amount_paid: 7500, amount_refunded: 7500 });
      expect((await sandboxStock()).total_reserved).toBe(before.total_reserved);
      const intent = await t.http.get(`/api/v1/payments/${o.intentId}`, { token: key });
      expect(intent.body.data.amount_refunded).toBe(7500);
      expect((await events('order.refunded', key)).some((e) => e.data.object.id === o.id)).toBe(true);
      expect((await events('order.cancelled', key)).some((e) => e.data.object.id === o.id)).toBe(true);
    });

    it('cancel without refund keeps the money; refunded is then allowed from cancelled and refunds it', async () => {
      const o = await paidOrder(1);
      const res = await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'oversold', refund: false }, { token: key });
      expect(res.body.data).toMatchObject({ status: 'cancelled', payment_status: 'paid', amount_refunded: 0 });
      const refunded = await setStatus(o.id, 'refunded', 'money back', key);
      expect(refunded.status).toBe(200);
      expect(refunded.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 2500 });
      expect(refunded.body.data.status_history.at(-1)).toMatchObject({ from_status: 'cancelled', to_status: 'refunded', note: 'money back' });
      const terminal = await setStatus(o.id, 'pending', undefined, key);
      expect(terminal.status).toBe(409);
      expect(terminal.body.error.message).toMatch(/allowed next statuses: none/);
    });

    it('refunded after delivery refunds everything and keeps the stock sold; after a partial refund it refunds the rest and releases stock', async () => {
      const start = await sandboxStock();
      const o = await paidOrder(2);
      for (const s of ['confirmed', 'processing', 'shipped', 'delivered']) expect((await setStatus(o.id, s, undefined, key)).status).toBe(200);
      const res = await setStatus(o.id, 'refunded', undefined, key);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 5000, fulfillment_status: 'fulfilled' });
      expect(await sandboxStock()).toMatchObject({ total_on_hand: start.total_on_hand - 2, total_reserved: start.total_reserved });

      const p = await paidOrder(2);
      const partial = await t.http.post(`/api/v1/payments/${p.intentId}/refund`, { amount: 1000 }, { token: key });
      expect(partial.status).toBe(200);
      expect(await getOrder(p.id)).toMatchObject({ payment_status: 'partially_refunded', amount_refunded: 1000 });
      const rest = await setStatus(p.id, 'refunded', undefined, key);
      expect(rest.status).toBe(200);
      expect(rest.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 5000 });
      expect(await sandboxStock()).toMatchObject({ total_on_hand: start.total_on_hand - 2, total_reserved: start.total_reserved });
      expect((await events('order.refunded', key)).filter((e) => e.data.object.id === p.id).length).toBeGreaterThanOrEqual(2);
      const ledger = await ledgerCheck(shop.tenantId, sandboxProduct);
      for (const row of ledger) expect([row.on_hand_sum, row.reserved_sum]).toEqual([row.on_hand, row.reserved]);
    });

    it('live orders never show in the sandbox and the other way round', async () => {
      const o = await sandboxOrder(1);
      expect((await t.http.get(`/api/v1/orders/${o.id}`, { token })).status).toBe(404);
    });
  });

  describe('access', () => {
    it("another tenant's order answers 404 on every route; its list is empty", async () => {
      const p = await stocked(5);
      const o = await order(p, 1);
      expect((await t.http.get(`/api/v1/orders/${o.id}`, { token: other.accessToken })).status).toBe(404);
      expect((await setStatus(o.id, 'confirmed', undefined, other.accessToken)).status).toBe(404);
      expect((await t.http.post(`/api/v1/orders/${o.id}/cancel`, { reason: 'x' }, { token: other.accessToken })).status).toBe(404);
      const list = await t.http.get('/api/v1/orders', { token: other.accessToken });
      expect(list.body.data.some((x: { id: string }) => x.id === o.id)).toBe(false);
      // Nor can another tenant order this tenant's product or for its customer.
      const otherCustomer = await customer(other.accessToken);
      expect((await t.http.post('/api/v1/orders', { customer_id: otherCustomer, shipping_address: address, items: [{ product_id: p, quantity: 1 }] }, { token: other.accessToken })).status).toBe(404);
      expect((await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: p, quantity: 1 }] }, { token: other.accessToken })).status).toBe(404);
      // The sandbox is another world too.
      const testKey = await createApiKey(t.http, token, { mode: 'test' });
      expect((await t.http.get(`/api/v1/orders/${o.id}`, { token: testKey.secret })).status).toBe(404);
    });

    it("a customer user sees only its own customer's orders (others 404) and cannot write", async () => {
      const p = await stocked(10);
      const mine = await customer();
      const theirs = await customer();
      const own = (await createOrder({ customer_id: mine, items: [{ product_id: p, quantity: 1 }] })).body.data;
      const foreign = (await createOrder({ customer_id: theirs, items: [{ product_id: p, quantity: 1 }] })).body.data;
      const email = `portal-${randomUUID().slice(0, 8)}@example.test`;
      expect((await t.http.post('/api/v1/users', { email, password: 'customer-pass-1', role: 'customer', customer_id: mine }, { token })).status).toBe(201);
      const login = await t.http.post('/api/v1/auth/login', { email, password: 'customer-pass-1', tenant_id: shop.tenantId });
      expect(login.status).toBe(200);
      const portal = login.body.data.access_token;

      const got = await t.http.get(`/api/v1/orders/${own.id}`, { token: portal });
      expect(got.status).toBe(200);
      expect(got.body.data.id).toBe(own.id);
      expect((await t.http.get(`/api/v1/orders/${foreign.id}`, { token: portal })).status).toBe(404);
      const list = await t.http.get('/api/v1/orders', { token: portal });
      expect(list.status).toBe(200);
      expect(list.body.data.map((o: { id: string }) => o.id)).toEqual([own.id]);
      const asked = await t.http.get('/api/v1/orders', { token: portal, query: { customer_id: theirs } });
      expect(asked.body.data).toEqual([]);
      expect((await createOrder({ customer_id: mine, items: [{ product_id: p, quantity: 1 }] }, portal)).status).toBe(403);
      expect((await setStatus(own.id, 'cancelled', undefined, portal)).status).toBe(403);
      expect((await t.http.post(`/api/v1/orders/${own.id}/cancel`, { reason: 'x' }, { token: portal })).status).toBe(403);
    });

    it('needs credentials and the orders scopes', async () => {
      expect((await t.http.get('/api/v1/orders')).status).toBe(401);
      const reader = await createApiKey(t.http, token, { scopes: ['orders:read'] });
      expect((await t.http.get('/api/v1/orders', { token: reader.secret })).status).toBe(200);
      const p = await stocked(1);
      expect((await createOrder({ items: [{ product_id: p, quantity: 1 }] }, reader.secret)).status).toBe(403);
      const readOnly = await createApiKey(t.http, token, { access: 'read_only' });
      expect((await createOrder({ items: [{ product_id: p, quantity: 1 }] }, readOnly.secret)).status).toBe(403);
    });
  });
});

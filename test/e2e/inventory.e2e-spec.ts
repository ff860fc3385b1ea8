import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import { TransactionService } from '../../src/database/transaction.service';
import { InventoryService } from '../../src/modules/inventory/inventory.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

describe('inventory (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let shop: TenantFixture;
  let other: TenantFixture;

  /** Signs up a tenant whose rate limits cannot get in the way (set before its first authenticated request). */
  async function tenant(name: string): Promise<TenantFixture> {
    const fixture = await signUpTenant(t.http, name);
    await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [fixture.tenantId]);
    return fixture;
  }

  async function product(token: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await t.http.post('/api/v1/products', { name: 'Widget', sku: `SKU-${randomUUID().slice(0, 8)}`, price: 1999, ...extra }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function location(token: string, name = 'Main warehouse', code?: string): Promise<string> {
    const res = await t.http.post('/api/v1/locations', { name, ...(code ? { code } : {}) }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  function adjust(token: string, productId: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return t.http.post(`/api/v1/inventory/${productId}/adjust`, { reason: 'received', ...body }, { token, headers });
  }

  async function events(token: string, type: string) {
    const res = await t.http.get('/api/v1/events', { token, query: { type, per_page: 200 } });
    expect(res.status).toBe(200);
    return res.body.data as { type: string; data: { object: Record<string, unknown> } }[];
  }

  /** For each level of the product: the ledger's deltas summed next to the level's columns. */
  async function ledgerCheck(tenantId: string, productId: string) {
    return db.query(
      `SELECT l.variant_key, l.location_id, l.on_hand, l.reserved,
              coalesce(sum(m.quantity_on_hand_delta), 0)::int AS on_hand_sum,
              coalesce(sum(m.quantity_reserved_delta), 0)::int AS reserved_sum
         FROM stock_levels l
         LEFT JOIN stock_movements m ON m.tenant_id = l.tenant_id AND m.mode = l.mode AND m.product_id = l.product_id
                                    AND m.variant_key = l.variant_key AND m.location_id = l.location_id
        WHERE l.tenant_id = $1 AND l.product_id = $2
        GROUP BY l.variant_key, l.location_id, l.on_hand, l.reserved`,
      [tenantId, productId],
    ) as Promise<{ variant_key: string; location_id: string; on_hand: number; reserved: number; on_hand_sum: number; reserved_sum: number }[]>;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
    shop = await tenant('Inventory shop');
    other = await tenant('Other shop');
  });
  afterAll(async () => {
    await t.close();
  });

  describe('locations', () => {
    it('creates and lists locations; a taken code is 409; bad bodies 422; tenants are separate', async () => {
      const fresh = await tenant('Locations shop');
      const created = await t.http.post(
        '/api/v1/locations',
        { name: 'Berlin', code: 'BER-1', address: { city: 'Berlin', country: 'DE' } },
        { token: fresh.accessToken },
      );
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ name: 'Berlin', code: 'BER-1', address: { city: 'Berlin', country: 'DE' } });
      expect(created.body.data.id).toMatch(/^loc_/);

      const dup = await t.http.post('/api/v1/locations', { name: 'Again', code: 'BER-1' }, { token: fresh.accessToken });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('code');
      // The same code is free in another tenant.
      expect((await t.http.post('/api/v1/locations', { name: 'B', code: 'BER-1' }, { token: other.accessToken })).status).toBe(201);

      const bad = await t.http.post('/api/v1/locations', { name: '', extra: 1 }, { token: fresh.accessToken });
      expect(bad.status).toBe(422);

      await location(fresh.accessToken, 'Hamburg');
      const list = await t.http.get('/api/v1/locations', { token: fresh.accessToken });
      expect(list.status).toBe(200);
      expect(list.body.data.map((l: { name: string }) => l.name)).toEqual(['Hamburg', 'Berlin']);
      expect(list.body.meta.total).toBe(2);
    });
  });

  describe('levels and adjustments', () => {
    let productId: string;
    let locA: string;

    beforeAll(async () => {
      productId = await product(shop.accessToken);
    });

    it('needs a location when the tenant has none, defaults to the only one, and requires one when there are several', async () => {
      const none = await adjust(shop.accessToken, productId, { quantity: 5 });
      expect(none.status).toBe(422);
      expect(none.body.error.field).toBe('location');

      locA = await location(shop.accessToken, 'A', 'A');
      const only = await adjust(shop.accessToken, productId, { quantity: 5, note: 'first delivery' });
      expect(only.status).toBe(200);
      expect(only.body.data).toEqual({
        product_id: productId,
        total_on_hand: 5,
        total_reserved: 0,
        total_available: 5,
        locations: [{ location_id: locA, on_hand: 5, reserved: 0, available: 5 }],
        variants: [],
      });

      await location(shop.accessToken, 'B', 'B');
      const several = await adjust(shop.accessToken, productId, { quantity: 1 });
      expect(several.status).toBe(422);
      expect(several.body.error.field).toBe('location');
    });

    it('adds and removes stock per location and variant, and refuses to go below zero with 409 naming location and quantity', async () => {
      const locB = await location(shop.accessToken, 'B2', 'B2');
      const variant = await t.http.post(`/api/v1/products/${productId}/variants`, { sku: `V-${randomUUID().slice(0, 8)}` }, { token: shop.accessToken });
      expect(variant.status).toBe(201);
      const variantId = variant.body.data.id;

      expect((await adjust(shop.accessToken, productId, { quantity: 7, location: locB })).status).toBe(200);
      expect((await adjust(shop.accessToken, productId, { quantity: 4, location: locB, variant_id: variantId })).status).toBe(200);
      const removed = await adjust(shop.accessToken, productId, { quantity: -2, reason: 'damaged', location: locA });
      expect(removed.status).toBe(200);

      const tooMany = await adjust(shop.accessToken, productId, { quantity: -8, reason: 'lost', location: locB });
      expect(tooMany.status).toBe(409);
      expect(tooMany.body.error.code).toBe('conflict');
      expect(tooMany.body.error.message).toContain(locB);
      expect(tooMany.body.error.message).toContain('8');
      expect(tooMany.body.error.message).toContain('7 available');
      // A location that never held the product refuses a removal too, and nothing is left behind.
      const empty = await location(shop.accessToken, 'Empty', 'EMPTY');
      expect((await adjust(shop.accessToken, productId, { quantity: -1, location: empty })).status).toBe(409);

      const inv = await t.http.get(`/api/v1/inventory/${productId}`, { token: shop.accessToken });
      expect(inv.status).toBe(200);
      expect(inv.body.data).toMatchObject({ total_on_hand: 14, total_reserved: 0, total_available: 14 });
      expect(inv.body.data.locations).toEqual(
        [
          { location_id: locA, on_hand: 3, reserved: 0, available: 3 },
          { location_id: locB, on_hand: 11, reserved: 0, available: 11 },
        ].sort((a, b) => (a.location_id < b.location_id ? -1 : 1)),
      );
      expect(inv.body.data.variants).toEqual([
        { variant_id: variantId, total_on_hand: 4, total_reserved: 0, total_available: 4, locations: [{ location_id: locB, on_hand: 4, reserved: 0, available: 4 }] },
      ]);

      for (const row of await ledgerCheck(shop.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
    });

    it('validates the body: zero, fractions, unknown reasons → 422; unknown variant, location or product → 404', async () => {
      for (const body of [{ quantity: 0 }, { quantity: 1.5 }, { quantity: 1, reason: 'stolen' }, { quantity: 1, colour: 'red' }]) {
        const res = await adjust(shop.accessToken, productId, { location: locA, ...body });
        expect(res.status).toBe(422);
      }
      expect((await adjust(shop.accessToken, productId, { quantity: 1, location: 'loc_nope' })).status).toBe(404);
      expect((await adjust(shop.accessToken, productId, { quantity: 1, location: locA, variant_id: 'var_nope' })).status).toBe(404);
      expect((await adjust(shop.accessToken, 'prod_nope', { quantity: 1, location: locA })).status).toBe(404);
      expect((await t.http.get('/api/v1/inventory/not-an-id', { token: shop.accessToken })).status).toBe(404);
    });

    it("answers 404 for another tenant's product and location", async () => {
      expect((await t.http.get(`/api/v1/inventory/${productId}`, { token: other.accessToken })).status).toBe(404);
      expect((await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: other.accessToken })).status).toBe(404);
      const otherProduct = await product(other.accessToken);
      await location(other.accessToken, 'Other', 'OTHER');
      expect((await adjust(other.accessToken, otherProduct, { quantity: 1, location: locA })).status).toBe(404);
      expect((await adjust(shop.accessToken, otherProduct, { quantity: 1, location: locA })).status).toBe(404);
    });

    it('lists movements newest first in both paging modes', async () => {
      const page = await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: shop.accessToken, query: { per_page: 2 } });
      expect(page.status).toBe(200);
      expect(page.body.meta).toMatchObject({ page: 1, per_page: 2, total: 4, total_pages: 2, has_next: true });
      expect(page.body.data[0]).toMatchObject({ kind: 'adjustment', reason: 'damaged', on_hand_delta: -2, reserved_delta: 0, location_id: locA, variant_id: null });
      const all = await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: shop.accessToken });
      const ids = all.body.data.map((m: { id: string }) => m.id);
      expect(all.body.data[all.body.data.length - 1]).toMatchObject({ on_hand_delta: 5, note: 'first delivery' });

      const next = await t.http.get(`/api/v1/inventory/${productId}/movements`, {
        token: shop.accessToken,
        query: { per_page: 2, cursor: page.body.meta.next_cursor },
      });
      expect(next.status).toBe(200);
      expect(next.body.meta.total).toBeUndefined();
      expect(next.body.meta.has_more).toBe(false);
      expect([...page.body.data, ...next.body.data].map((m: { id: string }) => m.id)).toEqual(ids);

      const variantOnly = await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: shop.accessToken, query: { location_id: locA } });
      expect(variantOnly.body.data.every((m: { location_id: string }) => m.location_id === locA)).toBe(true);
      expect((await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: shop.accessToken, query: { page: 0 } })).status).toBe(400);
    });

    it('replays an adjustment sent twice with the same Idempotency-Key without a second movement', async () => {
      const key = randomUUID();
      const first = await adjust(shop.accessToken, productId, { quantity: 3, location: locA }, { 'Idempotency-Key': key });
      const again = await adjust(shop.accessToken, productId, { quantity: 3, location: locA }, { 'Idempotency-Key': key });
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data).toEqual(first.body.data);
      const inv = await t.http.get(`/api/v1/inventory/${productId}`, { token: shop.accessToken });
      expect(inv.body.data.total_on_hand).toBe(17);
      const different = await adjust(shop.accessToken, productId, { quantity: 4, location: locA }, { 'Idempotency-Key': key });
      expect(different.status).toBe(422);
      expect(different.body.error.code).toBe('idempotency_error');
    });

    it('checks inventory scopes', async () => {
      const reader = await createApiKey(t.http, shop.accessToken, { scopes: ['inventory:read'] });
      expect((await t.http.get(`/api/v1/inventory/${productId}`, { token: reader.secret })).status).toBe(200);
      expect((await t.http.get('/api/v1/locations', { token: reader.secret })).status).toBe(200);
      expect((await adjust(reader.secret, productId, { quantity: 1, location: locA })).status).toBe(403);
      expect((await t.http.post('/api/v1/locations', { name: 'X' }, { token: reader.secret })).status).toBe(403);
      const catalogOnly = await createApiKey(t.http, shop.accessToken, { scopes: ['products:read'] });
      expect((await t.http.get(`/api/v1/inventory/${productId}`, { token: catalogOnly.secret })).status).toBe(403);
      expect((await t.http.get(`/api/v1/inventory/${productId}`)).status).toBe(401);
      const writer = await createApiKey(t.http, shop.accessToken, { scopes: ['inventory:write'] });
      expect((await adjust(writer.secret, productId, { quantity: 1, location: locA })).status).toBe(200);
    });

    it('keeps the sandbox apart', async () => {
      const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
      expect((await t.http.get('/api/v1/locations', { token: testKey.secret })).body.data).toEqual([]);
      expect((await adjust(testKey.secret, productId, { quantity: 1, location: locA })).status).toBe(404);
    });
  });

  describe('alerts', () => {
    it('creates, lists and deletes alerts; validates threshold and location', async () => {
      const productId = await product(shop.accessToken);
      const created = await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 3 }, { token: shop.accessToken });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ product_id: productId, location_id: null, threshold: 3, state: 'out' });
      expect((await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: -1 }, { token: shop.accessToken })).status).toBe(422);
      expect((await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 1, location_id: 'loc_x' }, { token: shop.accessToken })).status).toBe(404);
      const list = await t.http.get(`/api/v1/inventory/${productId}/alerts`, { token: shop.accessToken });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(1);
      expect((await t.http.delete(`/api/v1/inventory/${productId}/alerts/${created.body.data.id}`, { token: other.accessToken })).status).toBe(404);
      expect((await t.http.delete(`/api/v1/inventory/${productId}/alerts/${created.body.data.id}`, { token: shop.accessToken })).status).toBe(204);
      expect((await t.http.delete(`/api/v1/inventory/${productId}/alerts/${created.body.data.id}`, { token: shop.accessToken })).status).toBe(404);
      expect((await t.http.delete(`/api/v1/inventory/${productId}/alerts/alrt_bad`, { token: shop.accessToken })).status).toBe(404);
    });

    it('records inventory.low once per crossing, resets when stock rises, and per-location alerts watch their location', async () => {
      const fresh = await tenant('Alerts shop');
      const token = fresh.accessToken;
      const productId = await product(token);
      const a = await location(token, 'A', 'A');
      const b = await location(token, 'B', 'B');
      await adjust(token, productId, { quantity: 10, location: a });
      await adjust(token, productId, { quantity: 10, location: b });
      const total = await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 15 }, { token });
      const atA = await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 5, location_id: a }, { token });
      expect(total.body.data.state).toBe('ok');
      expect(atA.body.data.state).toBe('ok');

      await adjust(token, productId, { quantity: -4, reason: 'sold', location: b }); // total 16: still ok
      expect(await events(token, 'inventory.low')).toHaveLength(0);
      await adjust(token, productId, { quantity: -2, reason: 'sold', location: b }); // total 14: crosses 15
      await adjust(token, productId, { quantity: -1, reason: 'sold', location: b }); // 13: still below, no event
      await adjust(token, productId, { quantity: -1, reason: 'sold', location: b });
      let low = await events(token, 'inventory.low');
      expect(low).toHaveLength(1);
      expect(low[0].data.object).toMatchObject({ id: total.body.data.id, product_id: productId, state: 'low', available: 14, threshold: 15 });

      await adjust(token, productId, { quantity: 5, location: b }); // 17: back above, reset without event
      expect((await t.http.get(`/api/v1/inventory/${productId}/alerts`, { token })).body.data.find((x: { id: string }) => x.id === total.body.data.id).state).toBe('ok');
      await adjust(token, productId, { quantity: -6, reason: 'sold', location: a }); // total 11, A at 4: both cross
      low = await events(token, 'inventory.low');
      expect(low).toHaveLength(3);
      expect(low.filter((e) => e.data.object.id === atA.body.data.id)).toHaveLength(1);
      expect(await events(token, 'inventory.out_of_stock')).toHaveLength(0);
      await adjust(token, productId, { quantity: -4, reason: 'sold', location: a }); // A at 0
      const out = await events(token, 'inventory.out_of_stock');
      expect(out).toHaveLength(1);
      expect(out[0].data.object).toMatchObject({ id: atA.body.data.id, location_id: a, state: 'out', available: 0 });
      expect(await events(token, 'inventory.low')).toHaveLength(3);
    });
  });

  describe('concurrency', () => {
    it('50 parallel adjustments of −1 on 20 units: 20 succeed, 30 answer 409, 0 left, one low and one out event, the ledger sums to the level', async () => {
      const fresh = await tenant('Rush shop');
      const token = fresh.accessToken;
      const productId = await product(token);
      const loc = await location(token, 'Only', 'ONLY');
      expect((await adjust(token, productId, { quantity: 20 })).status).toBe(200);
      expect((await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 5 }, { token })).status).toBe(201);

      const results = await Promise.all(
        Array.from({ length: 50 }, () => adjust(token, productId, { quantity: -1, reason: 'sold', location: loc })),
      );
      const statuses = results.map((r) => r.status);
      const ok = statuses.filter((s) => s === 200).length;
      const conflicts = statuses.filter((s) => s === 409).length;
      const inv = await t.http.get(`/api/v1/inventory/${productId}`, { token });
      const ledger = await ledgerCheck(fresh.tenantId, productId);
      const [{ count }] = await db.query(
        `SELECT count(*)::int AS count FROM stock_movements WHERE tenant_id = $1 AND product_id = $2`,
        [fresh.tenantId, productId],
      );
      console.log(`concurrency: ${ok} × 200, ${conflicts} × 409, level ${inv.body.data.total_on_hand}, ledger sum ${ledger[0].on_hand_sum}, movements ${count}`);

      expect(ok).toBe(20);
      expect(conflicts).toBe(30);
      expect(inv.body.data.total_on_hand).toBe(0);
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({ on_hand: 0, on_hand_sum: 0, reserved: 0, reserved_sum: 0 });
      expect(count).toBe(21);
      expect(await events(token, 'inventory.low')).toHaveLength(1);
      expect(await events(token, 'inventory.out_of_stock')).toHaveLength(1);
    });
  });

  describe('reserve, release and commit (for orders)', () => {
    it('reserve joins the caller transaction, guards availability, and release/commit settle what the reference holds', async () => {
      const fresh = await tenant('Orders shop');
      const token = fresh.accessToken;
      const productId = await product(token);
      const variant = await t.http.post(`/api/v1/products/${productId}/variants`, { sku: `V-${randomUUID().slice(0, 8)}` }, { token });
      const variantId = variant.body.data.id;
      const small = await location(token, 'Small', 'SMALL');
      const big = await location(token, 'Big', 'BIG');
      await adjust(token, productId, { quantity: 3, location: small });
      await adjust(token, productId, { quantity: 8, location: big });
      await adjust(token, productId, { quantity: 2, location: small, variant_id: variantId });
      await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 4 }, { token });

      const inventory = t.app.get(InventoryService);
      const txs = t.app.get(TransactionService);
      const ctx = RequestContext.system('test', fresh.tenantId, 'live');

      // Reserves at the location with the most available; the caller's rollback undoes it all.
      await expect(
        txs.run(ctx, async (txCtx) => {
          const got = await inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 6 }], 'ord_rolledback');
          expect(got).toEqual([{ productId, variantId: null, locationId: big, quantity: 6 }]);
          throw new Error('order insert failed');
        }),
      ).rejects.toThrow('order insert failed');
      expect((await t.http.get(`/api/v1/inventory/${productId}`, { token })).body.data.total_reserved).toBe(0);

      // Short on one line → conflict naming the product; nothing of the other line stays reserved.
      await expect(
        txs.run(ctx, (txCtx) =>
          inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 2 }, { productId, variantId, quantity: 3 }], 'ord_short'),
        ),
      ).rejects.toMatchObject({ code: 'conflict', field: 'items[1].quantity', message: expect.stringContaining(variantId) });
      expect((await t.http.get(`/api/v1/inventory/${productId}`, { token })).body.data.total_reserved).toBe(0);
      await expect(
        txs.run(ctx, (txCtx) => inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 9 }], 'ord_toobig')),
      ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(productId) });

      const order = 'ord_01jaaaaaaaaaaaaaaaaaaaaaaa';
      await txs.run(ctx, (txCtx) =>
        inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 7 }, { productId, variantId, quantity: 2 }], order),
      );
      let inv = (await t.http.get(`/api/v1/inventory/${productId}`, { token })).body.data;
      expect(inv).toMatchObject({ total_on_hand: 13, total_reserved: 9, total_available: 4 });
      // Reserved stock cannot be adjusted away.
      const blocked = await adjust(token, productId, { quantity: -2, reason: 'lost', location: big });
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toContain('1 available');

      await txs.run(ctx, (txCtx) => inventory.release(txCtx, [{ productId, variantId: null, quantity: 2 }], order));
      await txs.run(ctx, (txCtx) =>
        inventory.commit(txCtx, [{ productId, variantId: null, quantity: 5 }, { productId, variantId, quantity: 2 }], order),
      );
      await expect(
        txs.run(ctx, (txCtx) => inventory.commit(txCtx, [{ productId, variantId: null, quantity: 1 }], order)),
      ).rejects.toMatchObject({ code: 'conflict' });
      inv = (await t.http.get(`/api/v1/inventory/${productId}`, { token })).body.data;
      expect(inv).toMatchObject({ total_on_hand: 6, total_reserved: 0, total_available: 6 });

      const movements = (await t.http.get(`/api/v1/inventory/${productId}/movements`, { token })).body.data as { kind: string; reference: string | null }[];
      expect(movements.filter((m) => m.reference === order).map((m) => m.kind).sort()).toEqual(['commit', 'commit', 'release', 'reservation', 'reservation']);
      for (const row of await ledgerCheck(fresh.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
      // Reserving 9 of 13 left exactly 4 available: not below the threshold of 4, so no event.
      expect(await events(token, 'inventory.low')).toHaveLength(0);
    });

    it('20 parallel orders reserving 3 of 20 units: 6 succeed, 14 conflict, and reserved never exceeds on hand', async () => {
      const fresh = await tenant('Parallel orders shop');
      const productId = await product(fresh.accessToken);
      await location(fresh.accessToken, 'Only', 'ONLY');
      await adjust(fresh.accessToken, productId, { quantity: 20 });
      const inventory = t.app.get(InventoryService);
      const txs = t.app.get(TransactionService);
      const ctx = RequestContext.system('test', fresh.tenantId, 'live');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          txs.run(ctx, (txCtx) => inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 3 }], `ord_parallel_${i}`)),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(6);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).toHaveLength(14);
      expect(rejected.every((o) => (o.reason as { code?: string }).code === 'conflict')).toBe(true);
      const inv = (await t.http.get(`/api/v1/inventory/${productId}`, { token: fresh.accessToken })).body.data;
      expect(inv).toMatchObject({ total_on_hand: 20, total_reserved: 18, total_available: 2 });
      for (const row of await ledgerCheck(fresh.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
    });
  });
});

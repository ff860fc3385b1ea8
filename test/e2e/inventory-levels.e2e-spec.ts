import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { createLocation, createProduct, signUpShop, startShopAppWithOther } from '../support/fixtures';
import { stockLedger } from '../support/observe';
import { typedApi, type RequestOf, type TypedApi } from '../support/typed-api';

type Adjustment = Partial<RequestOf<'/inventory/{product_id}/adjust', 'post'>> & { quantity: number };

describe('inventory: locations, levels and adjustments (e2e)', () => {
  let t: TestApp, shop: TenantFixture, other: TenantFixture, api: TypedApi;

  function adjust(as: TypedApi, productId: string, body: Adjustment, headers: Record<string, string> = {}) {
    return as.post('/inventory/{product_id}/adjust', { path: { product_id: productId }, body: { reason: 'received', ...body }, headers });
  }

  const location = async (as: TypedApi, name: string, code?: string) => (await createLocation(as, { name, ...(code ? { code } : {}) })).id;

  beforeAll(async () => {
    ({ t, shop, api, other } = await startShopAppWithOther('Inventory shop'));
  });
  afterAll(() => t.close());

  describe('locations', () => {
    it('creates and lists locations; a taken code is 409; bad bodies 422; tenants are separate', async () => {
      const fresh = typedApi(t.http, (await signUpShop(t.http, 'Locations shop')).accessToken);
      const created = await fresh.post('/locations', { body: { name: 'Berlin', code: 'BER-1', address: { city: 'Berlin', country: 'DE' } } });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ name: 'Berlin', code: 'BER-1', address: { city: 'Berlin', country: 'DE' } });
      expect(created.body.data.id).toMatch(/^loc_/);

      const dup = await fresh.post('/locations', { body: { name: 'Again', code: 'BER-1' } });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('code');
      // The same code is free in another tenant.
      expect((await api.as(other.accessToken).post('/locations', { body: { name: 'B', code: 'BER-1' } })).status).toBe(201);

      const bad = await t.http.post('/api/v1/locations', { name: '', extra: 1 }, { token: fresh.token });
      expect(bad.status).toBe(422);

      await location(fresh, 'Hamburg');
      const list = await fresh.get('/locations');
      expect(list.status).toBe(200);
      expect(list.body.data.map((l) => l.name)).toEqual(['Hamburg', 'Berlin']);
      expect(list.body.meta.total).toBe(2);
    });
  });

  describe('levels and adjustments', () => {
    let productId: string;
    let locA: string;

    beforeAll(async () => {
      productId = (await createProduct(api)).id;
    });

    it('needs a location when the tenant has none, defaults to the only one, and requires one when there are several', async () => {
      const none = await adjust(api, productId, { quantity: 5 });
      expect(none.status).toBe(422);
      expect(none.body.error.field).toBe('location');

      locA = await location(api, 'A', 'A');
      const only = await adjust(api, productId, { quantity: 5, note: 'first delivery' });
      expect(only.status).toBe(200);
      expect(only.body.data).toEqual({
        product_id: productId,
        total_on_hand: 5,
        total_reserved: 0,
        total_available: 5,
        locations: [{ location_id: locA, on_hand: 5, reserved: 0, available: 5 }],
        variants: [],
      });

      await location(api, 'B', 'B');
      const several = await adjust(api, productId, { quantity: 1 });
      expect(several.status).toBe(422);
      expect(several.body.error.field).toBe('location');
    });

    it('adds and removes stock per location and variant, and refuses to go below zero with 409 naming location and quantity', async () => {
      const locB = await location(api, 'B2', 'B2');
      const variant = await api.post('/products/{id}/variants', { path: { id: productId }, body: { sku: `V-${randomUUID().slice(0, 8)}` } });
      expect(variant.status).toBe(201);
      const variantId = variant.body.data.id;

      expect((await adjust(api, productId, { quantity: 7, location: locB })).status).toBe(200);
      expect((await adjust(api, productId, { quantity: 4, location: locB, variant_id: variantId })).status).toBe(200);
      const removed = await adjust(api, productId, { quantity: -2, reason: 'damaged', location: locA });
      expect(removed.status).toBe(200);

      const tooMany = await adjust(api, productId, { quantity: -8, reason: 'lost', location: locB });
      expect(tooMany.status).toBe(409);
      expect(tooMany.body.error.code).toBe('conflict');
      expect(tooMany.body.error.message).toContain(locB);
      expect(tooMany.body.error.message).toContain('8');
      expect(tooMany.body.error.message).toContain('7 available');
      // A location that never held the product refuses a removal too, and nothing is left behind.
      const empty = await location(api, 'Empty', 'EMPTY');
      expect((await adjust(api, productId, { quantity: -1, location: empty })).status).toBe(409);

      const inv = await api.get('/inventory/{product_id}', { path: { product_id: productId } });
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

      for (const row of await stockLedger(shop.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
    });

    it('validates the body: zero, fractions, unknown reasons → 422; unknown variant, location or product → 404', async () => {
      for (const body of [{ quantity: 0 }, { quantity: 1.5 }, { quantity: 1, reason: 'stolen' }, { quantity: 1, colour: 'red' }]) {
        const res = await t.http.post(`/api/v1/inventory/${productId}/adjust`, { reason: 'received', location: locA, ...body }, { token: shop.accessToken });
        expect(res.status).toBe(422);
      }
      expect((await adjust(api, productId, { quantity: 1, location: 'loc_nope' })).status).toBe(404);
      expect((await adjust(api, productId, { quantity: 1, location: locA, variant_id: 'var_nope' })).status).toBe(404);
      expect((await adjust(api, 'prod_nope', { quantity: 1, location: locA })).status).toBe(404);
      expect((await api.get('/inventory/{product_id}', { path: { product_id: 'not-an-id' } })).status).toBe(404);
    });

    it("answers 404 for another tenant's product and location", async () => {
      const otherApi = api.as(other.accessToken);
      expect((await otherApi.get('/inventory/{product_id}', { path: { product_id: productId } })).status).toBe(404);
      expect((await otherApi.get('/inventory/{product_id}/movements', { path: { product_id: productId } })).status).toBe(404);
      const otherProduct = (await createProduct(otherApi)).id;
      await location(otherApi, 'Other', 'OTHER');
      expect((await adjust(otherApi, otherProduct, { quantity: 1, location: locA })).status).toBe(404);
      expect((await adjust(api, otherProduct, { quantity: 1, location: locA })).status).toBe(404);
    });

    it('lists movements newest first in both paging modes', async () => {
      const movements = (query: { per_page?: number; cursor?: string; location_id?: string; page?: number } = {}) =>
        api.get('/inventory/{product_id}/movements', { path: { product_id: productId }, query });
      const page = await movements({ per_page: 2 });
      expect(page.status).toBe(200);
      expect(page.body.meta).toMatchObject({ page: 1, per_page: 2, total: 4, total_pages: 2, has_next: true });
      expect(page.body.data[0]).toMatchObject({ kind: 'adjustment', reason: 'damaged', on_hand_delta: -2, reserved_delta: 0, location_id: locA, variant_id: null });
      const all = await movements();
      const ids = all.body.data.map((m) => m.id);
      expect(all.body.data[all.body.data.length - 1]).toMatchObject({ on_hand_delta: 5, note: 'first delivery' });

      const next = await movements({ per_page: 2, cursor: page.body.meta.next_cursor ?? undefined });
      expect(next.status).toBe(200);
      expect(next.body.meta.total).toBeUndefined();
      expect(next.body.meta.has_more).toBe(false);
      expect([...page.body.data, ...next.body.data].map((m) => m.id)).toEqual(ids);

      const variantOnly = await movements({ location_id: locA });
      expect(variantOnly.body.data.every((m) => m.location_id === locA)).toBe(true);
      expect((await movements({ page: 0 })).status).toBe(400);
    });

    it('replays an adjustment sent twice with the same Idempotency-Key without a second movement', async () => {
      const key = randomUUID();
      const first = await adjust(api, productId, { quantity: 3, location: locA }, { 'Idempotency-Key': key });
      const again = await adjust(api, productId, { quantity: 3, location: locA }, { 'Idempotency-Key': key });
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data).toEqual(first.body.data);
      const inv = await api.get('/inventory/{product_id}', { path: { product_id: productId } });
      expect(inv.body.data.total_on_hand).toBe(17);
      const different = await adjust(api, productId, { quantity: 4, location: locA }, { 'Idempotency-Key': key });
      expect(different.status).toBe(422);
      expect(different.body.error.code).toBe('idempotency_error');
    });

    it('checks inventory scopes', async () => {
      const reader = api.as((await createApiKey(t.http, shop.accessToken, { scopes: ['inventory:read'] })).secret);
      expect((await reader.get('/inventory/{product_id}', { path: { product_id: productId } })).status).toBe(200);
      expect((await reader.get('/locations')).status).toBe(200);
      expect((await adjust(reader, productId, { quantity: 1, location: locA })).status).toBe(403);
      expect((await reader.post('/locations', { body: { name: 'X' } })).status).toBe(403);
      const catalogOnly = api.as((await createApiKey(t.http, shop.accessToken, { scopes: ['products:read'] })).secret);
      expect((await catalogOnly.get('/inventory/{product_id}', { path: { product_id: productId } })).status).toBe(403);
      expect((await api.as(undefined).get('/inventory/{product_id}', { path: { product_id: productId } })).status).toBe(401);
      const writer = api.as((await createApiKey(t.http, shop.accessToken, { scopes: ['inventory:write'] })).secret);
      expect((await adjust(writer, productId, { quantity: 1, location: locA })).status).toBe(200);
    });

    it('keeps the sandbox apart', async () => {
      const sandbox = api.as((await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret);
      expect((await sandbox.get('/locations')).body.data).toEqual([]);
      expect((await adjust(sandbox, productId, { quantity: 1, location: locA })).status).toBe(404);
    });
  });
});

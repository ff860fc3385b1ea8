import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { createLocation, createProduct, signUpShop, startShopAppWithOther } from '../support/fixtures';
import { eventsOfType, stockLedger } from '../support/observe';
import { typedApi, type RequestOf, type TypedApi } from '../support/typed-api';

type Adjustment = Partial<RequestOf<'/inventory/{product_id}/adjust', 'post'>> & { quantity: number };

describe('inventory: alerts and concurrent adjustments (e2e)', () => {
  let t: TestApp, db: DataSource, other: TenantFixture, api: TypedApi;

  function adjust(as: TypedApi, productId: string, body: Adjustment) {
    return as.post('/inventory/{product_id}/adjust', { path: { product_id: productId }, body: { reason: 'received', ...body } });
  }
  function createAlert(as: TypedApi, productId: string, body: RequestOf<'/inventory/{product_id}/alerts', 'post'>) {
    return as.post('/inventory/{product_id}/alerts', { path: { product_id: productId }, body });
  }
  const location = async (as: TypedApi, name: string, code: string) => (await createLocation(as, { name, code })).id;

  beforeAll(async () => {
    ({ t, api, other } = await startShopAppWithOther('Inventory shop'));
    db = await ownerDb();
  });
  afterAll(() => t.close());

  describe('alerts', () => {
    it('creates, lists and deletes alerts; validates threshold and location', async () => {
      const productId = (await createProduct(api)).id;
      const created = await createAlert(api, productId, { threshold: 3 });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ product_id: productId, location_id: null, threshold: 3, state: 'out' });
      expect((await createAlert(api, productId, { threshold: -1 })).status).toBe(422);
      expect((await createAlert(api, productId, { threshold: 1, location_id: 'loc_x' })).status).toBe(404);
      const list = await api.get('/inventory/{product_id}/alerts', { path: { product_id: productId } });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(1);
      const alert = { path: { product_id: productId, id: created.body.data.id } };
      expect((await api.as(other.accessToken).delete('/inventory/{product_id}/alerts/{id}', alert)).status).toBe(404);
      expect((await api.delete('/inventory/{product_id}/alerts/{id}', alert)).status).toBe(204);
      expect((await api.delete('/inventory/{product_id}/alerts/{id}', alert)).status).toBe(404);
      expect((await api.delete('/inventory/{product_id}/alerts/{id}', { path: { product_id: productId, id: 'alrt_bad' } })).status).toBe(404);
    });

    it('records inventory.low once per crossing, resets when stock rises, and per-location alerts watch their location', async () => {
      const fresh = typedApi(t.http, (await signUpShop(t.http, 'Alerts shop')).accessToken);
      const events = (type: string) => eventsOfType(fresh, type);
      const productId = (await createProduct(fresh)).id;
      const a = await location(fresh, 'A', 'A');
      const b = await location(fresh, 'B', 'B');
      await adjust(fresh, productId, { quantity: 10, location: a });
      await adjust(fresh, productId, { quantity: 10, location: b });
      const total = await createAlert(fresh, productId, { threshold: 15 });
      const atA = await createAlert(fresh, productId, { threshold: 5, location_id: a });
      expect(total.body.data.state).toBe('ok');
      expect(atA.body.data.state).toBe('ok');

      await adjust(fresh, productId, { quantity: -4, reason: 'sold', location: b }); // total 16: still ok
      expect(await events('inventory.low')).toHaveLength(0);
      await adjust(fresh, productId, { quantity: -2, reason: 'sold', location: b }); // total 14: crosses 15
      await adjust(fresh, productId, { quantity: -1, reason: 'sold', location: b }); // 13: still below, no event
      await adjust(fresh, productId, { quantity: -1, reason: 'sold', location: b });
      let low = await events('inventory.low');
      expect(low).toHaveLength(1);
      expect(low[0].data.object).toMatchObject({ id: total.body.data.id, product_id: productId, state: 'low', available: 14, threshold: 15 });

      await adjust(fresh, productId, { quantity: 5, location: b }); // 17: back above, reset without event
      expect((await fresh.get('/inventory/{product_id}/alerts', { path: { product_id: productId } })).body.data.find((x) => x.id === total.body.data.id)!.state).toBe('ok');
      await adjust(fresh, productId, { quantity: -6, reason: 'sold', location: a }); // total 11, A at 4: both cross
      low = await events('inventory.low');
      expect(low).toHaveLength(3);
      expect(low.filter((e) => e.data.object.id === atA.body.data.id)).toHaveLength(1);
      expect(await events('inventory.out_of_stock')).toHaveLength(0);
      await adjust(fresh, productId, { quantity: -4, reason: 'sold', location: a }); // A at 0
      const out = await events('inventory.out_of_stock');
      expect(out).toHaveLength(1);
      expect(out[0].data.object).toMatchObject({ id: atA.body.data.id, location_id: a, state: 'out', available: 0 });
      expect(await events('inventory.low')).toHaveLength(3);
    });
  });

  describe('concurrency', () => {
    it('50 parallel adjustments of −1 on 20 units: 20 succeed, 30 answer 409, 0 left, one low and one out event, the ledger sums to the level', async () => {
      const fresh = await signUpShop(t.http, 'Rush shop');
      const rush = typedApi(t.http, fresh.accessToken);
      const productId = (await createProduct(rush)).id;
      const loc = await location(rush, 'Only', 'ONLY');
      expect((await adjust(rush, productId, { quantity: 20 })).status).toBe(200);
      expect((await createAlert(rush, productId, { threshold: 5 })).status).toBe(201);

      const results = await Promise.all(
        Array.from({ length: 50 }, () => adjust(rush, productId, { quantity: -1, reason: 'sold', location: loc })),
      );
      const statuses = results.map((r) => r.status);
      const ok = statuses.filter((s) => s === 200).length;
      const conflicts = statuses.filter((s) => s === 409).length;
      const inv = await rush.get('/inventory/{product_id}', { path: { product_id: productId } });
      const ledger = await stockLedger(fresh.tenantId, productId);
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
      expect(await eventsOfType(rush, 'inventory.low')).toHaveLength(1);
      expect(await eventsOfType(rush, 'inventory.out_of_stock')).toHaveLength(1);
    });
  });
});

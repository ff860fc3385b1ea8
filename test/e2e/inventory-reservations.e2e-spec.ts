import { randomUUID } from 'node:crypto';
import { TransactionService } from '../../src/database/transaction.service';
import { InventoryService } from '../../src/modules/inventory/inventory.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { addStock, createLocation, createProduct, signUpShop } from '../support/fixtures';
import { eventsOfType, stockLedger } from '../support/observe';
import { typedApi, type TypedApi } from '../support/typed-api';

/** The inventory service's reserve/release/commit, as the orders module calls them inside its transactions. */
describe('inventory: reserve, release and commit for orders (e2e)', () => {
  let t: TestApp;

  const levels = async (api: TypedApi, productId: string) => (await api.get('/inventory/{product_id}', { path: { product_id: productId } })).body.data;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('reserve, release and commit (for orders)', () => {
    it('reserve joins the caller transaction, guards availability, and release/commit settle what the reference holds', async () => {
      const fresh = await signUpShop(t.http, 'Orders shop');
      const api = typedApi(t.http, fresh.accessToken);
      const productId = (await createProduct(api)).id;
      const variant = await api.post('/products/{id}/variants', { path: { id: productId }, body: { sku: `V-${randomUUID().slice(0, 8)}` } });
      const variantId = variant.body.data.id;
      const small = (await createLocation(api, { name: 'Small', code: 'SMALL' })).id;
      const big = (await createLocation(api, { name: 'Big', code: 'BIG' })).id;
      await addStock(api, productId, 3, { location: small });
      await addStock(api, productId, 8, { location: big });
      await addStock(api, productId, 2, { location: small, variant_id: variantId });
      await api.post('/inventory/{product_id}/alerts', { path: { product_id: productId }, body: { threshold: 4 } });

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
      expect((await levels(api, productId)).total_reserved).toBe(0);

      // Short on one line → conflict naming the product; nothing of the other line stays reserved.
      await expect(
        txs.run(ctx, (txCtx) =>
          inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 2 }, { productId, variantId, quantity: 3 }], 'ord_short'),
        ),
      ).rejects.toMatchObject({ code: 'conflict', field: 'items[1].quantity', message: expect.stringContaining(variantId) });
      expect((await levels(api, productId)).total_reserved).toBe(0);
      await expect(
        txs.run(ctx, (txCtx) => inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 9 }], 'ord_toobig')),
      ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(productId) });

      const order = 'ord_01jaaaaaaaaaaaaaaaaaaaaaaa';
      await txs.run(ctx, (txCtx) =>
        inventory.reserve(txCtx, [{ productId, variantId: null, quantity: 7 }, { productId, variantId, quantity: 2 }], order),
      );
      let inv = await levels(api, productId);
      expect(inv).toMatchObject({ total_on_hand: 13, total_reserved: 9, total_available: 4 });
      // Reserved stock cannot be adjusted away.
      const blocked = await api.post('/inventory/{product_id}/adjust', { path: { product_id: productId }, body: { quantity: -2, reason: 'lost', location: big } });
      expect(blocked.status).toBe(409);
      expect(blocked.body.error.message).toContain('1 available');

      await txs.run(ctx, (txCtx) => inventory.release(txCtx, [{ productId, variantId: null, quantity: 2 }], order));
      await txs.run(ctx, (txCtx) =>
        inventory.commit(txCtx, [{ productId, variantId: null, quantity: 5 }, { productId, variantId, quantity: 2 }], order),
      );
      await expect(
        txs.run(ctx, (txCtx) => inventory.commit(txCtx, [{ productId, variantId: null, quantity: 1 }], order)),
      ).rejects.toMatchObject({ code: 'conflict' });
      inv = await levels(api, productId);
      expect(inv).toMatchObject({ total_on_hand: 6, total_reserved: 0, total_available: 6 });

      const movements = (await api.get('/inventory/{product_id}/movements', { path: { product_id: productId } })).body.data;
      expect(movements.filter((m) => m.reference === order).map((m) => m.kind).sort()).toEqual(['commit', 'commit', 'release', 'reservation', 'reservation']);
      for (const row of await stockLedger(fresh.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
      // Reserving 9 of 13 left exactly 4 available: not below the threshold of 4, so no event.
      expect(await eventsOfType(api, 'inventory.low')).toHaveLength(0);
    });

    it('20 parallel orders reserving 3 of 20 units: 6 succeed, 14 conflict, and reserved never exceeds on hand', async () => {
      const fresh = await signUpShop(t.http, 'Parallel orders shop');
      const api = typedApi(t.http, fresh.accessToken);
      const productId = (await createProduct(api)).id;
      await createLocation(api, { name: 'Only', code: 'ONLY' });
      await addStock(api, productId, 20);
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
      const inv = await levels(api, productId);
      expect(inv).toMatchObject({ total_on_hand: 20, total_reserved: 18, total_available: 2 });
      for (const row of await stockLedger(fresh.tenantId, productId)) {
        expect(row.on_hand_sum).toBe(row.on_hand);
        expect(row.reserved_sum).toBe(row.reserved);
      }
    });
  });
});

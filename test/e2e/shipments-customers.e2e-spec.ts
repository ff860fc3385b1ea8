import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import { ownerDb } from '../support/owner-db';
import { createCustomer, customerLogin, type CustomerFixture } from '../support/portal-fixtures';
import { confirmedOrder, pkg, stockedProduct, type ShippingShop } from '../support/shipping-fixtures';

/**
 * Issue 19: a `customer` user, and its client-portal token, read and track the shipments of its own
 * customer's orders — listed, by id, tracked — and gets 404 for another customer's; creating,
 * cancelling, simulating and the label stay with staff (403), and such a refusal changes nothing.
 */
describe('shipments seen by customer users and client-portal tokens (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let owner: TenantFixture;
  let alice: CustomerFixture;
  let bob: CustomerFixture;
  /** Per customer: two orders, each shipped once (ids of the orders, then of the shipments). */
  const held = {} as Record<'alice' | 'bob', { orders: string[]; shipments: string[] }>;
  const credentials = {} as Record<'user' | 'portalToken', string>;

  const staff = () => ({ token: owner.accessToken });

  async function shipOrders(customer: CustomerFixture, shop: ShippingShop, productId: string) {
    const orders: string[] = [];
    const shipments: string[] = [];
    for (let i = 0; i < 2; i++) {
      const order = await confirmedOrder(t, { ...shop, customerId: customer.id }, [{ product_id: productId, quantity: 2 }]);
      const shipment = await t.http.post('/api/v1/shipments', { order_id: order.id, items: [{ line_id: order.items[0].id, quantity: 1 }], carrier: 'sandbox', service: 'ground', packages: [pkg(800)] }, staff());
      expect(shipment.status).toBe(201);
      orders.push(order.id);
      shipments.push(shipment.body.data.id);
    }
    return { orders, shipments };
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
    owner = await signUpTenant(t.http, 'Customer shipments');
    await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [owner.tenantId]);
    const location = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, staff());
    expect(location.status).toBe(201);
    // Live mode, where the client portal logs in; the owner's own token acts as staff.
    const shop: ShippingShop = { tenantId: owner.tenantId, ownerToken: owner.accessToken, key: owner.accessToken, locationId: location.body.data.id, customerId: '' };
    const productId = await stockedProduct(t, shop, 20);
    alice = await createCustomer(t.http, owner, 'Alice');
    bob = await createCustomer(t.http, owner, 'Bob');
    held.alice = await shipOrders(alice, shop, productId);
    held.bob = await shipOrders(bob, shop, productId);
    credentials.user = (await customerLogin(t.http, owner, alice.id)).accessToken;
    const minted = await t.http.post('/api/v1/me/api-tokens', { name: 'My tracking script' }, { token: credentials.user });
    expect(minted.status).toBe(201);
    credentials.portalToken = minted.body.data.secret;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe.each(['user', 'portalToken'] as const)('as Alice (%s)', (who) => {
    const as = () => ({ token: credentials[who] });

    it("lists only her own orders' shipments, filters within them, and pages through them", async () => {
      const listed = await t.http.get('/api/v1/shipments', as());
      expect(listed.status).toBe(200);
      assertMatchesSpec('get', '/api/v1/shipments', listed);
      expect(listed.body.data.map((s: { id: string }) => s.id).sort()).toEqual([...held.alice.shipments].sort());
      expect(new Set(listed.body.data.map((s: { order_id: string }) => s.order_id))).toEqual(new Set(held.alice.orders));

      expect((await t.http.get('/api/v1/shipments', { ...as(), query: { order_id: held.bob.orders[0] } })).body.data).toEqual([]);
      const byOrder = await t.http.get('/api/v1/shipments', { ...as(), query: { order_id: held.alice.orders[1] } });
      expect(byOrder.body.data.map((s: { id: string }) => s.id)).toEqual([held.alice.shipments[1]]);
      expect((await t.http.get('/api/v1/shipments', { ...as(), query: { status: 'label_created' } })).body.data).toHaveLength(2);

      const first = await t.http.get('/api/v1/shipments', { ...as(), query: { per_page: 1 } });
      const second = await t.http.get('/api/v1/shipments', { ...as(), query: { per_page: 1, cursor: first.body.meta.next_cursor } });
      expect([...first.body.data, ...second.body.data].map((s: { id: string }) => s.id).sort()).toEqual([...held.alice.shipments].sort());
    });

    it("gets and tracks her own shipment; Bob's answers 404 as if it did not exist", async () => {
      const [own] = held.alice.shipments;
      const got = await t.http.get(`/api/v1/shipments/${own}`, as());
      expect(got.status).toBe(200);
      assertMatchesSpec('get', '/api/v1/shipments/{id}', got);
      expect(got.body.data).toMatchObject({ id: own, order_id: held.alice.orders[0], status: 'label_created', carrier: 'sandbox' });
      const tracked = await t.http.get(`/api/v1/shipments/${own}/track`, as());
      expect(tracked.status).toBe(200);
      expect(tracked.body.data).toMatchObject({ shipment_id: own, status: 'label_created', events: [expect.objectContaining({ status: 'label_created' })] });

      for (const path of [`/api/v1/shipments/${held.bob.shipments[0]}`, `/api/v1/shipments/${held.bob.shipments[0]}/track`]) {
        const theirs = await t.http.get(path, as());
        expect(theirs.status).toBe(404);
        expect(theirs.body.error.code).toBe('not_found');
      }
    });

    it('cannot create, cancel or simulate a shipment, nor download a label (403); nothing changes', async () => {
      const [own] = held.alice.shipments;
      const before = await t.http.get(`/api/v1/orders/${held.alice.orders[0]}`, staff());
      const attempts = [
        await t.http.post('/api/v1/shipments', { order_id: held.alice.orders[0], carrier: 'sandbox', service: 'ground', packages: [pkg(800)] }, as()),
        await t.http.post(`/api/v1/shipments/${own}/cancel`, undefined, as()),
        await t.http.post(`/api/v1/shipments/${own}/simulate`, { status: 'delivered' }, as()),
        await t.http.get(`/api/v1/shipments/${own}/label`, as()),
      ];
      for (const res of attempts) {
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('authorization_error');
      }
      expect((await t.http.get(`/api/v1/shipments/${own}`, staff())).body.data.status).toBe('label_created');
      const after = await t.http.get(`/api/v1/orders/${held.alice.orders[0]}`, staff());
      expect(after.body.data).toMatchObject({ fulfillment_status: before.body.data.fulfillment_status, items: before.body.data.items });
      expect((await t.http.get('/api/v1/shipments', { ...staff(), query: { order_id: held.alice.orders[0] } })).body.data).toHaveLength(1);
    });
  });

  it('staff still see every shipment; Bob, logged in, sees only his', async () => {
    const all = await t.http.get('/api/v1/shipments', staff());
    expect(all.body.data.map((s: { id: string }) => s.id).sort()).toEqual([...held.alice.shipments, ...held.bob.shipments].sort());
    const bobUser = await customerLogin(t.http, owner, bob.id);
    const bobs = await t.http.get('/api/v1/shipments', { token: bobUser.accessToken });
    expect(bobs.body.data.map((s: { id: string }) => s.id).sort()).toEqual([...held.bob.shipments].sort());
  });
});

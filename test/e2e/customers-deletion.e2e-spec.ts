import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { createCustomer, signUpShop } from '../support/fixtures';
import { typedApi } from '../support/typed-api';
import { ownerDb } from '../support/owner-db';

type Issue = { field: string; message: string };

/**
 * A customer that something still depends on (a service not terminated, an open invoice, an order
 * in progress) cannot be deleted: 409 naming every blocker, suggesting archiving instead. Once those
 * are settled the delete works. A delete racing a new service or order never leaves an orphan.
 */
describe('customer deletion and archiving (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let token: string;
  let subscriptionId: string;
  let widgetId: string;

  const address = { line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

  const customer = async () => (await createCustomer(typedApi(t.http, token))).id;

  async function service(customerId: string, tier = 'free'): Promise<string> {
    const res = await t.http.post('/api/v1/services', { customer_id: customerId, product_id: subscriptionId, tier, activate: true }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  async function openInvoice(customerId: string): Promise<string> {
    const res = await t.http.post('/api/v1/invoices', { customer_id: customerId, currency: 'usd', lines: [{ description: 'Setup', quantity: 1, unit_amount: 500 }] }, { token });
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('open');
    return res.body.data.id;
  }

  async function order(customerId: string): Promise<string> {
    const res = await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: widgetId, quantity: 1 }] }, { token });
    expect(res.status).toBe(201);
    return res.body.data.id;
  }

  const remove = (id: string) => t.http.delete(`/api/v1/customers/${id}`, { token });

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpShop(t.http, 'Deletion shop');
    token = shop.accessToken;
    const sub = await t.http.post('/api/v1/products', { name: 'Hosting', sku: `HOST-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: `host-${randomUUID().slice(0, 8)}` }, { token });
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.data.id;
    for (const [tier, price] of [['free', 0], ['paid', 2500]] as const) {
      expect((await t.http.post(`/api/v1/products/${subscriptionId}/tiers`, { label_name: tier, name: tier, price, billing_cycle: 'monthly' }, { token })).status).toBe(201);
    }
    const loc = await t.http.post('/api/v1/locations', { name: 'Main' }, { token });
    expect(loc.status).toBe(201);
    const widget = await t.http.post('/api/v1/products', { name: 'Widget', sku: `W-${randomUUID().slice(0, 8)}`, price: 1000 }, { token });
    widgetId = widget.body.data.id;
    expect((await t.http.post(`/api/v1/inventory/${widgetId}/adjust`, { quantity: 1000, reason: 'received', location: loc.body.data.id }, { token })).status).toBe(200);
  });

  afterAll(() => t.close());

  it('refuses to delete a customer with an active service (409 naming it) until the service is terminated', async () => {
    const id = await customer();
    const svc = await service(id);
    const refused = await remove(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.message).toContain('1 active service');
    expect(refused.body.error.message).toMatch(/archiv/i);
    expect(refused.body.error.details).toEqual<Issue[]>([{ field: 'services', message: '1 active service' }]);
    expect((await t.http.get(`/api/v1/customers/${id}`, { token })).status).toBe(200);

    expect((await t.http.post(`/api/v1/services/${svc}/terminate`, {}, { token })).status).toBe(200);
    expect((await remove(id)).status).toBe(204);
    expect((await t.http.get(`/api/v1/customers/${id}`, { token })).status).toBe(404);
  });

  it('refuses to delete a customer with an open invoice until it is voided', async () => {
    const id = await customer();
    const inv = await openInvoice(id);
    const refused = await remove(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual<Issue[]>([{ field: 'invoices', message: '1 unpaid invoice' }]);
    expect((await t.http.post(`/api/v1/invoices/${inv}/void`, {}, { token })).status).toBe(200);
    expect((await remove(id)).status).toBe(204);
  });

  it('refuses to delete a customer with an order in progress until it is cancelled', async () => {
    const id = await customer();
    const ord = await order(id);
    const refused = await remove(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toEqual<Issue[]>([{ field: 'orders', message: '1 order in progress' }]);
    expect((await t.http.post(`/api/v1/orders/${ord}/cancel`, { reason: 'changed mind' }, { token })).status).toBe(200);
    expect((await remove(id)).status).toBe(204);
  });

  it('names every kind of blocker with its count in one message', async () => {
    const id = await customer();
    await service(id);
    await service(id, 'paid'); // active, with its open first invoice
    await openInvoice(id);
    await order(id);
    const refused = await remove(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('2 active services, 2 unpaid invoices, 1 order in progress');
    expect(refused.body.error.details).toEqual<Issue[]>([
      { field: 'services', message: '2 active services' },
      { field: 'invoices', message: '2 unpaid invoices' },
      { field: 'orders', message: '1 order in progress' },
    ]);
  });

  it('archives a customer with PATCH status (blocked or not), filters the list by status, and restores it', async () => {
    const id = await customer();
    await service(id);
    const fresh = await t.http.get(`/api/v1/customers/${id}`, { token });
    expect(fresh.body.data.status).toBe('active');

    const archived = await t.http.patch(`/api/v1/customers/${id}`, { status: 'archived' }, { token });
    expect(archived.status).toBe(200);
    expect(archived.body.data.status).toBe('archived');
    const listed = await t.http.get('/api/v1/customers', { token, query: { status: 'archived', per_page: 200 } });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toContain(id);
    expect(listed.body.data.every((c: { status: string }) => c.status === 'archived')).toBe(true);
    const active = await t.http.get('/api/v1/customers', { token, query: { status: 'active', per_page: 200 } });
    expect(active.body.data.map((c: { id: string }) => c.id)).not.toContain(id);
    const all = await t.http.get('/api/v1/customers', { token, query: { per_page: 200 } });
    expect(all.body.data.map((c: { id: string }) => c.id)).toContain(id);

    const bad = await t.http.get('/api/v1/customers', { token, query: { status: 'deleted' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('status');
    expect((await t.http.patch(`/api/v1/customers/${id}`, { status: 'gone' }, { token })).status).toBe(422);

    const restored = await t.http.patch(`/api/v1/customers/${id}`, { status: 'active' }, { token });
    expect(restored.body.data.status).toBe('active');
  });

  it('never leaves an orphan when a delete races a new service or order for the same customer', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => customer()));
    const outcomes = await Promise.all(ids.map(async (id, i) => {
      const create = i % 2 === 0
        ? t.http.post('/api/v1/services', { customer_id: id, product_id: subscriptionId, tier: 'free', activate: true }, { token })
        : t.http.post('/api/v1/orders', { customer_id: id, shipping_address: address, items: [{ product_id: widgetId, quantity: 1 }] }, { token });
      const [created, deleted] = await Promise.all([create, remove(id)]);
      return [created.status, deleted.status];
    }));
    // Either the delete ran first (create → 404) or the create did (delete → 409): never both successes.
    for (const [created, deleted] of outcomes) {
      expect([[201, 409], [404, 204]]).toContainEqual([created, deleted]);
    }
    // The owner's connection: the app's runtime role sees no tenant row outside a scope (RLS), so it would count 0.
    const [orphans] = await (await ownerDb()).query(
      `SELECT (SELECT count(*) FROM services s WHERE s.customer_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = s.customer_id))::int
            + (SELECT count(*) FROM orders o WHERE o.customer_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))::int AS n`,
      [ids],
    );
    expect(orphans.n).toBe(0);
  });
});

import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import { createCustomer, customerLogin, type CustomerFixture, type CustomerLoginFixture } from '../support/portal-fixtures';

interface Holdings {
  order: string;
  invoice: string;
  service: string;
  ticket: string;
}

/**
 * Client-portal tokens: a customer user mints personal `ck_live_…` tokens that see only its
 * customer's orders, invoices, services and tickets, never staff routes or another customer's rows;
 * the secret is shown once, and revocation (or losing the login) stops the token at once.
 */
describe('client-portal personal API tokens (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let alice: CustomerFixture;
  let bob: CustomerFixture;
  let alicePortal: CustomerLoginFixture;
  let bobPortal: CustomerLoginFixture;
  const held: Record<'alice' | 'bob', Holdings> = {} as never;

  const staff = () => ({ token: shop.accessToken });
  const mint = async (portal: CustomerLoginFixture, body: Record<string, unknown> = { name: 'My integration' }) => {
    const res = await t.http.post('/api/v1/me/api-tokens', body, { token: portal.accessToken });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; secret: string; prefix: string; customer_id: string; access: string };
  };

  async function holdingsOf(customer: CustomerFixture, productId: string, subscriptionId: string): Promise<Holdings> {
    const address = { line1: '1 Main St', city: 'London', postal_code: 'N1 1AA', country: 'GB' };
    const order = await t.http.post('/api/v1/orders', { customer_id: customer.id, items: [{ product_id: productId, quantity: 1 }], shipping_address: address }, staff());
    const invoice = await t.http.post('/api/v1/invoices', { customer_id: customer.id, currency: 'usd', lines: [{ description: 'Hosting', quantity: 1, unit_amount: 1000 }] }, staff());
    const service = await t.http.post('/api/v1/services', { customer_id: customer.id, product_id: subscriptionId, tier: 'basic' }, staff());
    const ticket = await t.http.post('/api/v1/tickets', { customer_id: customer.id, subject: 'Hello', body: 'Question', priority: 'normal' }, staff());
    for (const res of [order, invoice, service, ticket]) expect(res.status).toBe(201);
    return { order: order.body.data.id, invoice: invoice.body.data.id, service: service.body.data.id, ticket: ticket.body.data.id };
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Portal tokens');
    const db = await ownerDb();
    await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [shop.tenantId]);
    alice = await createCustomer(t.http, shop, 'Alice');
    bob = await createCustomer(t.http, shop, 'Bob');
    alicePortal = await customerLogin(t.http, shop, alice.id);
    bobPortal = await customerLogin(t.http, shop, bob.id);

    const product = await t.http.post('/api/v1/products', { name: 'Router', sku: `R-${randomUUID().slice(0, 8)}`, price: 5000 }, staff());
    const location = await t.http.post('/api/v1/locations', { name: 'Main', code: `M${randomUUID().slice(0, 6)}` }, staff());
    await t.http.post(`/api/v1/inventory/${product.body.data.id}/adjust`, { quantity: 10, reason: 'received', location: location.body.data.id }, staff());
    const label = `vps-${randomUUID().slice(0, 8)}`;
    const vps = await t.http.post('/api/v1/products', { name: 'VPS', sku: `V-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: label }, staff());
    await t.http.post(`/api/v1/products/${vps.body.data.id}/tiers`, { label_name: 'basic', name: 'Basic', price: 900, billing_cycle: 'monthly' }, staff());
    held.alice = await holdingsOf(alice, product.body.data.id, vps.body.data.id);
    held.bob = await holdingsOf(bob, product.body.data.id, vps.body.data.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('mints a token bound to the customer, shows the secret once and lists it without it', async () => {
    const token = await mint(alicePortal);
    expect(token.secret).toMatch(/^ck_live_[A-Za-z0-9]{32}$/);
    expect(token).toMatchObject({ customer_id: alice.id, access: 'read_write', prefix: token.secret.slice(0, 20) });

    const listed = await t.http.get('/api/v1/me/api-tokens', { token: alicePortal.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(token.id);
    expect(JSON.stringify(listed.body)).not.toContain(token.secret);
    expect(listed.body.data.every((k: { secret?: string }) => k.secret === undefined)).toBe(true);
    // Only the hash is stored.
    const db = await ownerDb();
    const [row] = await db.query('SELECT secret_hash, user_id, customer_id FROM api_keys WHERE id = $1', [token.id]);
    expect(row).toMatchObject({ user_id: alicePortal.userId, customer_id: alice.id });
    expect(row.secret_hash).not.toContain(token.secret.slice(20));
    // Bob lists only his own; the tenant's key list does not show customers' tokens.
    expect((await t.http.get('/api/v1/me/api-tokens', { token: bobPortal.accessToken })).body.data).toEqual([]);
    const keys = await t.http.get('/api/v1/api-keys', staff());
    expect(keys.body.data.map((k: { id: string }) => k.id)).not.toContain(token.id);
  });

  it('reads its own orders, invoices, services and tickets, and gets 404 for another customer’s', async () => {
    const { secret } = await mint(alicePortal);
    const auth = { token: secret };
    const routes = ['orders', 'invoices', 'services', 'tickets'] as const;
    const key = { orders: 'order', invoices: 'invoice', services: 'service', tickets: 'ticket' } as const;
    for (const route of routes) {
      const own = await t.http.get(`/api/v1/${route}`, auth);
      expect(own.status).toBe(200);
      // (The service's first invoice is Alice's too.)
      expect(own.body.data.map((x: { id: string }) => x.id)).toContain(held.alice[key[route]]);
      expect(new Set(own.body.data.map((x: { customer_id: string }) => x.customer_id))).toEqual(new Set([alice.id]));
      expect((await t.http.get(`/api/v1/${route}`, { ...auth, query: { customer_id: bob.id } })).body.data).toEqual([]);
      const one = await t.http.get(`/api/v1/${route}/${held.alice[key[route]]}`, auth);
      expect(one.status).toBe(200);
      expect(one.body.data.customer_id).toBe(alice.id);
      const theirs = await t.http.get(`/api/v1/${route}/${held.bob[key[route]]}`, auth);
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.code).toBe('not_found');
    }
    expect((await t.http.get(`/api/v1/customers/${alice.id}`, auth)).status).toBe(200);
    expect((await t.http.get(`/api/v1/customers/${bob.id}`, auth)).status).toBe(404);
    const me = await t.http.get('/api/v1/auth/me', auth);
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ kind: 'user', user: { id: alicePortal.userId, role: 'customer', customer_id: alice.id } });
  });

  it('writes only what a customer may: its own tickets; never staff routes or the catalog admin views', async () => {
    const { secret } = await mint(alicePortal);
    const auth = { token: secret };
    const opened = await t.http.post('/api/v1/tickets', { customer_id: alice.id, subject: 'Via token', body: 'From my script', priority: 'low' }, auth);
    expect(opened.status).toBe(201);
    expect(opened.body.data.messages[0]).toMatchObject({ author_type: 'customer', author_id: alicePortal.userId });
    expect(opened.body.data.status).toBe('open');
    expect((await t.http.post(`/api/v1/tickets/${held.alice.ticket}/reply`, { body: 'Any news?' }, auth)).body.data.status).toBe('open');
    expect((await t.http.post('/api/v1/tickets', { customer_id: bob.id, subject: 'x', body: 'y', priority: 'low' }, auth)).status).toBe(404);
    expect((await t.http.post(`/api/v1/tickets/${held.bob.ticket}/reply`, { body: 'x' }, auth)).status).toBe(404);

    for (const [method, path, body] of [
      ['GET', '/api/v1/products', undefined],
      ['GET', '/api/v1/categories', undefined],
      ['GET', `/api/v1/inventory/${held.alice.order}`, undefined],
      ['POST', '/api/v1/products', { name: 'x', sku: 'x', price: 1 }],
      ['GET', '/api/v1/customers', undefined],
      ['GET', '/api/v1/users', undefined],
      ['GET', '/api/v1/api-keys', undefined],
      ['GET', '/api/v1/webhooks', undefined],
      ['GET', '/api/v1/events', undefined],
      ['PUT', '/api/v1/settings/ticket-departments', { departments: [] }],
      ['POST', `/api/v1/invoices/${held.alice.invoice}/void`, undefined],
      ['POST', `/api/v1/services/${held.alice.service}/terminate`, undefined],
      ['GET', '/api/v1/me/api-tokens', undefined],
      ['POST', '/api/v1/me/api-tokens', { name: 'token minting a token' }],
    ] as const) {
      const res = await t.http.call(method, path, body, auth);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.code).toBe('authorization_error');
    }
  });

  it('lets a read-only token read but not write', async () => {
    const readOnly = await mint(alicePortal, { name: 'dashboard', access: 'read_only' });
    expect(readOnly.access).toBe('read_only');
    expect((await t.http.get('/api/v1/tickets', { token: readOnly.secret })).status).toBe(200);
    const write = await t.http.post('/api/v1/tickets', { customer_id: alice.id, subject: 'x', body: 'y', priority: 'low' }, { token: readOnly.secret });
    expect(write.status).toBe(403);
  });

  it('is managed by customer users only', async () => {
    expect((await t.http.post('/api/v1/me/api-tokens', { name: 'x' }, staff())).status).toBe(403);
    expect((await t.http.get('/api/v1/me/api-tokens', staff())).status).toBe(403);
    const key = await createApiKey(t.http, shop.accessToken);
    expect((await t.http.post('/api/v1/me/api-tokens', { name: 'x' }, { token: key.secret })).status).toBe(403);
    expect((await t.http.post('/api/v1/me/api-tokens', {}, { token: alicePortal.accessToken })).status).toBe(422);
    expect((await t.http.post('/api/v1/me/api-tokens', { name: 'x', access: 'admin' }, { token: alicePortal.accessToken })).status).toBe(422);
  });

  it('stops a token at once when revoked, and only its own user may revoke it', async () => {
    const token = await mint(alicePortal);
    expect((await t.http.get('/api/v1/tickets', { token: token.secret })).status).toBe(200);
    expect((await t.http.delete(`/api/v1/me/api-tokens/${token.id}`, { token: bobPortal.accessToken })).status).toBe(404);
    expect((await t.http.delete('/api/v1/me/api-tokens/key_nope', { token: alicePortal.accessToken })).status).toBe(404);
    const key = await createApiKey(t.http, shop.accessToken);
    expect((await t.http.delete(`/api/v1/me/api-tokens/${key.id}`, { token: alicePortal.accessToken })).status).toBe(404);
    expect((await t.http.get('/api/v1/products', { token: key.secret })).status).toBe(200);

    expect((await t.http.delete(`/api/v1/me/api-tokens/${token.id}`, { token: alicePortal.accessToken })).status).toBe(204);
    const after = await t.http.get('/api/v1/tickets', { token: token.secret });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('authentication_error');
    const listed = await t.http.get('/api/v1/me/api-tokens', { token: alicePortal.accessToken });
    expect(listed.body.data.find((k: { id: string }) => k.id === token.id).revoked_at).toEqual(expect.any(String));
  });

  it('dies with its login: a customer user moved to another customer or deleted takes its tokens along', async () => {
    const carol = await createCustomer(t.http, shop, 'Carol');
    const carolPortal = await customerLogin(t.http, shop, carol.id);
    const token = await mint(carolPortal);
    expect((await t.http.get('/api/v1/tickets', { token: token.secret })).status).toBe(200);
    const moved = await t.http.patch(`/api/v1/users/${carolPortal.userId}`, { customer_id: bob.id }, staff());
    expect(moved.status).toBe(200);
    expect((await t.http.get('/api/v1/tickets', { token: token.secret })).status).toBe(401);

    const dora = await createCustomer(t.http, shop, 'Dora');
    const doraPortal = await customerLogin(t.http, shop, dora.id);
    const doraToken = await mint(doraPortal);
    expect((await t.http.delete(`/api/v1/users/${doraPortal.userId}`, staff())).status).toBe(204);
    expect((await t.http.get('/api/v1/tickets', { token: doraToken.secret })).status).toBe(401);
  });
});

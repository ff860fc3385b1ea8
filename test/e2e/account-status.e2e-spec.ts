import { randomUUID } from 'node:crypto';
import { Clock } from '../../src/platform/clock/clock';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import type { Schemas } from '../support/typed-api';

/** Seed 003's SaaS routes: account status, fix subscription, public URL resolver and the hosted checkout page. */
describe('account status, fix subscription, public URL resolver (e2e)', () => {
  let t: TestApp;
  let clock: Clock;
  let shop: TenantFixture;
  let other: TenantFixture;
  let key: string;
  let otherKey: string;
  let productId: string;
  let sku: string;
  const label = `studio-${randomUUID().slice(0, 8)}`;
  const ref = `ACC-${randomUUID().slice(0, 8)}`;
  let email: string;
  const services: Record<string, Schemas['Service']> = {};

  const status = (query: Record<string, string> = {}, tok = key, account = ref) =>
    t.http.get(`/api/v1/accounts/${encodeURIComponent(account)}/status`, { token: tok, query });
  const resolve = (query: Record<string, string>, tok = key) => t.http.get('/api/v1/resolve/public-url', { token: tok, query });

  beforeAll(async () => {
    t = await startTestApp();
    clock = t.app.get(Clock);
    clock.set(new Date('2031-03-01T12:00:00Z'));
    shop = await signUpShop(t.http, 'SaaS shop');
    other = await signUpShop(t.http, 'Other SaaS');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    otherKey = (await createApiKey(t.http, other.accessToken, { mode: 'test' })).secret;
    const product = await t.http.post('/api/v1/products', {
      name: 'Studio <Suite>', sku: `STUDIO-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: label, saas_only: true,
    }, { token: key });
    productId = product.body.data.id;
    await t.http.post(`/api/v1/products/${productId}/tiers`, { label_name: 'starter', name: 'Pulse Lite', price: 0, billing_cycle: 'monthly' }, { token: key });
    const pro = await t.http.post(`/api/v1/products/${productId}/tiers`, {
      label_name: 'pro', name: 'Aurora <Growth>', description: '45k "send" limit & boosts', price: 3200, billing_cycle: 'monthly',
      features: ['<script>alert(1)</script>', 'Playbooks'], is_popular: true,
    }, { token: key });
    expect(pro.status).toBe(201);
    sku = `ONB-${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/v1/products', { name: 'Onboarding', sku, price: 9900, saas_only: true }, { token: key });
    email = `orchid-${randomUUID().slice(0, 6)}@example.test`;
    const c = await t.http.post('/api/v1/customers', { email, first_name: 'Orchid', last_name: 'Ops', account_ref_id: ref }, { token: key });
    const customerId = c.body.data.id;
    const starter = await t.http.post('/api/v1/services', { customer_id: customerId, product_id: productId, tier: 'starter' }, { token: key });
    services.starter = starter.body.data; // price 0: no invoice, active at once
    clock.set(new Date('2031-03-02T12:00:00Z'));
    const proSvc = await t.http.post('/api/v1/services', { customer_id: customerId, product_id: productId, tier: 'pro' }, { token: key });
    services.pro = proSvc.body.data; // pending until its first invoice is paid
  });

  afterAll(() => t.close());

  describe('GET /accounts/{account_ref_id}/status', () => {
    it('lists every subscription of the account with total_subscriptions', async () => {
      const res = await status();
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ account_ref_id: ref, customer_email: email, total_subscriptions: 2 });
      expect(res.body.data.subscriptions.map((s: Schemas['AccountSubscription']) => [s.service_id, s.status, s.is_active])).toEqual([
        [services.pro.id, 'pending', false],
        [services.starter.id, 'active', true],
      ]);
      expect(res.body.data.subscriptions[0].subscription_tier).toMatchObject({
        label_name: 'pro', name: 'Aurora <Growth>', price: 3200, billing_cycle: 'monthly', is_popular: true, product_id: productId, subscription_name: label,
      });
    });

    it('answers one subscription with subscription (+ tier)', async () => {
      const res = await status({ subscription: label, tier: 'starter' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ account_ref_id: ref, customer_email: email, service_id: services.starter.id, is_active: true });
      expect(res.body.data).not.toHaveProperty('subscriptions');
      const latest = await status({ subscription: label });
      expect(latest.body.data.service_id).toBe(services.pro.id);
    });

    it('tier without subscription → 400; unknown account, subscription or tier → 404', async () => {
      const bad = await status({ tier: 'pro' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_request', field: 'tier' });
      expect((await status({}, key, 'nobody')).status).toBe(404);
      const sub = await status({ subscription: 'nope' });
      expect(sub.status).toBe(404);
      expect(sub.body.error.message).toBe('Subscription product not found');
      expect((await status({ subscription: label, tier: 'gold' })).body.error.message).toBe('Subscription tier not found');
    });

    it('is tenant-isolated', async () => {
      expect((await status({}, otherKey)).status).toBe(404);
      expect((await status({}, shop.accessToken)).status).toBe(404); // live mode
    });
  });

  describe('GET /subscriptions/fix', () => {
    it('gives the open invoice of an incomplete (pending) subscription, 204 when nothing is due, 400/404 on bad input', async () => {
      const res = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: ref, subscription_name: label, tier_name: 'pro' } });
      expect(res.status).toBe(200);
      const inv = await t.http.get(`/api/v1/invoices/${services.pro.latest_invoice_id}`, { token: key });
      expect(res.body.data.url).toBe(inv.body.data.hosted_invoice_url);
      const none = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: ref, subscription_name: label, tier_name: 'starter' } });
      expect(none.status).toBe(204);
      const missing = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: ref, subscription_name: label } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.field).toBe('tier_name');
      expect((await t.http.get('/api/v1/subscriptions/fix', { token: otherKey, query: { account_ref_id: ref, subscription_name: label, tier_name: 'pro' } })).status).toBe(404);
    });
  });

  describe('GET /resolve/public-url and the hosted checkout page', () => {
    it('answers the seed\'s exact error messages', async () => {
      const cases: [Record<string, string>, number, string][] = [
        [{ account_ref_id: ref }, 422, 'Provide product_name or both subscription_name and tier_name'],
        [{ account_ref_id: ref, subscription_name: label }, 422, 'Provide product_name or both subscription_name and tier_name'],
        [{ account_ref_id: ref, product_name: sku, subscription_name: label, tier_name: 'pro' }, 422, 'Provide product_name or both subscription_name and tier_name'],
        [{ account_ref_id: ref, subscription_name: label, tier_name: 'pro' }, 422, 'email is required when using subscription_name and tier_name'],
        [{ account_ref_id: ref, product_name: sku }, 422, 'email is required when using a saas_only product'],
        [{ account_ref_id: ref, product_name: 'no-such-product' }, 404, 'Product not found'],
        [{ account_ref_id: ref, subscription_name: 'nope', tier_name: 'pro', email }, 404, 'Subscription product not found'],
        [{ account_ref_id: ref, subscription_name: label, tier_name: 'gold', email }, 404, 'Subscription tier not found'],
        [{ product_name: sku }, 422, 'account_ref_id is required'],
      ];
      for (const [query, code, message] of cases) {
        const res = await resolve(query);
        expect({ query, status: res.status, message: res.body.error?.message }).toEqual({ query, status: code, message });
        expect(res.body.error.code).toBe(code === 404 ? 'not_found' : 'validation_error');
      }
      // Another tenant's product does not exist for this key.
      expect((await resolve({ account_ref_id: ref, product_name: sku, email }, otherKey)).body.error.message).toBe('Product not found');
    });

    it('mints an unguessable link whose page shows the tier with every tenant text escaped, and expires', async () => {
      const res = await resolve({ account_ref_id: ref, subscription_name: label, tier_name: 'pro', email });
      expect(res.status).toBe(200);
      expect(res.body.data.type).toBe('redirect');
      const match = /\/r\/([A-Za-z0-9_-]{43})$/.exec(res.body.data.url);
      expect(match).not.toBeNull();
      const path = `/r/${match![1]}`;
      const page = await t.http.get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['x-request-id']).toBeDefined();
      expect(page.text).toContain('Aurora &lt;Growth&gt;');
      expect(page.text).toContain('45k &quot;send&quot; limit &amp; boosts');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.text).not.toContain('<script>');
      expect(page.text).toContain('32.00 USD');
      // Single products by SKU (saas_only with email) or by exact name.
      expect((await resolve({ account_ref_id: ref, product_name: sku, email })).status).toBe(200);
      // Unknown or malformed tokens: the same 404 page.
      expect((await t.http.get(`/r/${'A'.repeat(43)}`)).status).toBe(404);
      expect((await t.http.get('/r/short')).status).toBe(404);
      // After CHECKOUT_LINK_TTL_HOURS (72 h) the link is dead.
      clock.set(new Date(clock.now().getTime() + 73 * 3_600_000));
      const expired = await t.http.get(path);
      expect(expired.status).toBe(404);
      expect(expired.text).toContain('invalid or has expired');
    });
  });
});

import { startTestApp, type TestApp } from '../support/app';
import { domainShop, type DomainShop } from '../support/domain-fixtures';
import { createApiKey } from '../support/factories';

/** The per-TLD price table a tenant sets itself (`/settings/tld-prices`), and what checks and registrations then charge. */
describe('domain TLD price settings (e2e)', () => {
  let t: TestApp;
  let shop: DomainShop;
  const auth = () => ({ token: shop.key });

  beforeAll(async () => {
    t = await startTestApp();
    shop = await domainShop(t, 'TLD prices shop');
  });
  afterAll(() => t.close());

  it('lists the operator defaults, in TLD order, with both paging modes', async () => {
    const res = await t.http.get('/api/v1/settings/tld-prices', auth());
    expect(res.status).toBe(200);
    const tlds = res.body.data.map((p: { tld: string }) => p.tld);
    expect(tlds).toEqual([...tlds].sort());
    expect(res.body.data.find((p: { tld: string }) => p.tld === 'com')).toEqual({
      tld: 'com', unicode_tld: 'com', registration_amount: 1200, renewal_amount: 1400, currency: 'usd', source: 'default', updated_at: null,
    });
    expect(res.body.data.find((p: { tld: string }) => p.tld === 'xn--p1ai')).toMatchObject({ unicode_tld: 'рф' });
    const first = await t.http.get('/api/v1/settings/tld-prices', { ...auth(), query: { per_page: 2 } });
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 2, total: res.body.data.length, has_next: true });
    const second = await t.http.get('/api/v1/settings/tld-prices', { ...auth(), query: { per_page: 2, cursor: first.body.meta.next_cursor } });
    expect(second.body.data.map((p: { tld: string }) => p.tld)).toEqual(tlds.slice(2, 4));
  });

  it('overrides a default price, adds a new TLD, and checks and registrations use them', async () => {
    const com = await t.http.put('/api/v1/settings/tld-prices/.COM', { registration_amount: 999, renewal_amount: 1099, currency: 'usd' }, auth());
    expect(com.status).toBe(200);
    expect(com.body.data).toMatchObject({ tld: 'com', registration_amount: 999, renewal_amount: 1099, source: 'tenant' });
    expect(com.body.data.updated_at).not.toBeNull();
    expect((await t.http.get('/api/v1/domains/check/cheap.com', auth())).body.data.prices[1]).toEqual({ years: 2, registration: 999 + 1099, renewal: 2 * 1099 });

    expect((await t.http.get('/api/v1/domains/check/my.shop', auth())).body.data.reason).toBe('unsupported_tld');
    const shopTld = await t.http.put('/api/v1/settings/tld-prices/shop', { registration_amount: 2500, renewal_amount: 3000, currency: 'eur' }, auth());
    expect(shopTld.status).toBe(200);
    expect((await t.http.get('/api/v1/domains/check/my.shop', auth())).body.data).toMatchObject({ valid: true, available: true, currency: 'eur' });
    const customer = await shop.customer('erin');
    const registered = await t.http.post('/api/v1/domains', { name: 'my.shop', customer_id: customer, years: 1 }, auth());
    expect(registered.status).toBe(201);
    const invoice = (await t.http.get(`/api/v1/invoices/${registered.body.data.latest_invoice_id}`, auth())).body.data;
    expect(invoice).toMatchObject({ currency: 'eur', total: 2500 });

    // A Unicode TLD is stored in ASCII.
    expect((await t.http.put('/api/v1/settings/tld-prices/%D1%80%D1%84', { registration_amount: 500, renewal_amount: 500, currency: 'rub' }, auth())).body.data)
      .toMatchObject({ tld: 'xn--p1ai', unicode_tld: 'рф', source: 'tenant' });
    // Live mode keeps its own table.
    const live = await t.http.get('/api/v1/settings/tld-prices', { token: shop.tenant.accessToken });
    expect(live.body.data.find((p: { tld: string }) => p.tld === 'com').source).toBe('default');
  });

  it('drops a tenant price: back to the default, or no longer sold; unknown rows 404', async () => {
    await t.http.put('/api/v1/settings/tld-prices/net', { registration_amount: 1, renewal_amount: 1, currency: 'usd' }, auth());
    expect((await t.http.delete('/api/v1/settings/tld-prices/net', auth())).status).toBe(204);
    expect((await t.http.get('/api/v1/domains/check/again.net', auth())).body.data.prices[0]).toEqual({ years: 1, registration: 1400, renewal: 1600 });
    await t.http.put('/api/v1/settings/tld-prices/blog', { registration_amount: 100, renewal_amount: 100, currency: 'usd' }, auth());
    expect((await t.http.delete('/api/v1/settings/tld-prices/blog', auth())).status).toBe(204);
    expect((await t.http.get('/api/v1/domains/check/my.blog', auth())).body.data.reason).toBe('unsupported_tld');
    expect((await t.http.delete('/api/v1/settings/tld-prices/blog', auth())).status).toBe(404);
    expect((await t.http.delete('/api/v1/settings/tld-prices/org', auth())).status).toBe(404); // a default, not the tenant's
  });

  it('validates the TLD and the amounts; only owners, admins and write keys change prices', async () => {
    const badTld = await t.http.put('/api/v1/settings/tld-prices/-x-', { registration_amount: 1, renewal_amount: 1, currency: 'usd' }, auth());
    expect(badTld.status).toBe(422);
    expect(badTld.body.error.field).toBe('tld');
    expect((await t.http.put('/api/v1/settings/tld-prices/io', { registration_amount: -1, renewal_amount: 1, currency: 'usd' }, auth())).status).toBe(422);
    expect((await t.http.put('/api/v1/settings/tld-prices/io', { registration_amount: 1, renewal_amount: 1, currency: 'USD' }, auth())).status).toBe(422);
    const readOnly = (await createApiKey(t.http, shop.tenant.accessToken, { mode: 'test', access: 'read_only' })).secret;
    expect((await t.http.get('/api/v1/settings/tld-prices', { token: readOnly })).status).toBe(200);
    expect((await t.http.put('/api/v1/settings/tld-prices/io', { registration_amount: 1, renewal_amount: 1, currency: 'usd' }, { token: readOnly })).status).toBe(403);
    expect((await t.http.delete('/api/v1/settings/tld-prices/io', { token: readOnly })).status).toBe(403);
    const email = `staff-${Date.now()}@example.test`;
    expect((await t.http.post('/api/v1/users', { email, password: 'staff-pass-123', role: 'staff' }, { token: shop.tenant.accessToken })).status).toBe(201);
    const staff = (await t.http.post('/api/v1/auth/login', { email, password: 'staff-pass-123' })).body.data.access_token;
    expect((await t.http.get('/api/v1/settings/tld-prices', { token: staff })).status).toBe(200);
    expect((await t.http.put('/api/v1/settings/tld-prices/io', { registration_amount: 1, renewal_amount: 1, currency: 'usd' }, { token: staff })).status).toBe(403);
  });
});

import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { domainShop, type DomainShop } from '../support/domain-fixtures';
import { createApiKey } from '../support/factories';
import type { Schemas } from '../support/typed-api';

/** Every domains route through HTTP in test mode (sandbox registrar), each response checked against the spec. */
describe('domains (e2e)', () => {
  let t: TestApp, db: DataSource, shop: DomainShop, alice: string, bob: string;
  const auth = () => ({ token: shop.key });
  const check = (name: string) => t.http.get(`/api/v1/domains/check/${encodeURIComponent(name)}`, auth());
  const register = (body: Record<string, unknown>) => t.http.post('/api/v1/domains', { years: 1, ...body }, auth());

  async function events(type: string): Promise<Schemas['Event'][]> {
    const res = await t.http.get('/api/v1/events', { token: shop.key, query: { type, per_page: 200 } });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    t.app.get(Clock).set(new Date('2026-06-01T12:00:00Z'));
    shop = await domainShop(t);
    alice = await shop.customer('alice');
    bob = await shop.customer('bob');
  });
  afterAll(async () => {
    t.app.get(Clock).reset();
    await t.close();
  });

  it('checks an IDN name: punycode, available, and the price for 1 to 10 years', async () => {
    const res = await check('Bücher.com');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      name: 'Bücher.com', ascii_name: 'xn--bcher-kva.com', unicode_name: 'bücher.com', tld: 'com',
      valid: true, available: true, reason: null, errors: [], currency: 'usd',
    });
    expect(res.body.data.prices).toHaveLength(10);
    expect(res.body.data.prices[0]).toEqual({ years: 1, registration: 1200, renewal: 1400 });
    expect(res.body.data.prices[2]).toEqual({ years: 3, registration: 1200 + 2 * 1400, renewal: 3 * 1400 });
    expect((await check('пример.рф')).body.data).toMatchObject({ ascii_name: 'xn--e1afmkfd.xn--p1ai', tld: 'xn--p1ai', available: true });
    expect((await check('shop.co.uk')).body.data).toMatchObject({ tld: 'co.uk', available: true });
  });

  it('answers an invalid name as not available, with the reasons, and refuses to register it', async () => {
    for (const name of ['-bad-.com', 'ab--cd.com', 'xn--zz.com', 'a..com', 'sh_op.com', `${'a'.repeat(64)}.com`, '😀.com', 'www.shop.com']) {
      const res = await check(name);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ valid: false, available: false, reason: 'invalid', prices: [], currency: null });
      expect(res.body.data.errors.length).toBeGreaterThan(0);
    }
    expect((await check('shop.example')).body.data).toMatchObject({ valid: false, available: false, reason: 'unsupported_tld' });
    // Longer than any name: invalid with nothing echoed but the input; past the path limit (1000), not routed to a name at all.
    expect((await check(`${'例'.repeat(300)}.com`)).body.data).toMatchObject({ valid: false, available: false, reason: 'invalid', ascii_name: null });
    expect((await check(`${'a'.repeat(1001)}.com`)).status).toBe(404);
    expect((await check('taken-shop.com')).body.data).toMatchObject({ valid: true, available: false, reason: 'taken' });

    const bad = await register({ name: '-bad-.com', customer_id: alice });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({ code: 'validation_error', field: 'name' });
    expect((await register({ name: 'taken-shop.com', customer_id: alice })).body.error).toMatchObject({ code: 'validation_error', field: 'name' });
    expect((await register({ name: 'fine.example', customer_id: alice })).status).toBe(422);
    expect((await register({ name: 'fine.com', customer_id: alice, years: 11 })).status).toBe(422);
  });

  it('registers the IDN name: the domain, its invoice line and domain.registered; the name is then registered here', async () => {
    const res = await register({ name: 'bücher.com', customer_id: alice, years: 2, nameservers: ['NS1.Example.net', 'ns2.example.net.'] });
    expect(res.status).toBe(201);
    const domain = res.body.data;
    expect(domain).toMatchObject({
      name: 'xn--bcher-kva.com', unicode_name: 'bücher.com', tld: 'com', customer_id: alice, status: 'active', registrar: 'sandbox',
      years: 2, registered_at: '2026-06-01T12:00:00.000Z', expires_at: '2028-06-01T12:00:00.000Z', auto_renew: true,
      nameservers: ['ns1.example.net', 'ns2.example.net'], renewal_invoice_id: null, transfer_requested_at: null, livemode: false,
    });
    expect(domain.id).toMatch(/^dom_/);
    const invoice = await t.http.get(`/api/v1/invoices/${domain.latest_invoice_id}`, auth());
    expect(invoice.body.data).toMatchObject({ status: 'open', customer_id: alice, currency: 'usd', total: 1200 + 1400 });
    expect(invoice.body.data.lines).toEqual([expect.objectContaining({ description: 'Domain registration bücher.com, 2 years', quantity: 1, unit_amount: 2600 })]);
    expect((await events('domain.registered')).map((e) => e.data.object.id)).toContain(domain.id);

    expect((await check('xn--bcher-kva.com')).body.data).toMatchObject({ valid: true, available: false, reason: 'registered' });
    const again = await register({ name: 'XN--BCHER-KVA.COM', customer_id: bob });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('name');
    expect((await t.http.get(`/api/v1/domains/${domain.id}`, auth())).body.data).toEqual(domain);
  });

  it('404s an unknown customer, another tenant\'s domain and a malformed id', async () => {
    expect((await register({ name: 'orphan.com', customer_id: 'cus_01h2xcejqtf2nbrexx3vqjhp41' })).status).toBe(404);
    const mine = (await register({ name: 'mine.net', customer_id: alice })).body.data;
    const other = await domainShop(t, 'Other domains shop');
    expect((await t.http.get(`/api/v1/domains/${mine.id}`, { token: other.key })).status).toBe(404);
    expect((await t.http.post(`/api/v1/domains/${mine.id}/renew`, { years: 1 }, { token: other.key })).status).toBe(404);
    expect((await t.http.get('/api/v1/domains/dom_nope', auth())).status).toBe(404);
    // The same name is free in another tenant (and in live mode): each account holds its own.
    expect((await t.http.get('/api/v1/domains/check/mine.net', { token: other.key })).body.data.available).toBe(true);
  });

  it('lists with filters, sorting and both paging modes; a customer user sees only its own', async () => {
    for (const name of ['list-a.org', 'list-b.org']) expect((await register({ name, customer_id: bob, years: 3 })).status).toBe(201);
    const orgs = await t.http.get('/api/v1/domains', { ...auth(), query: { tld: 'org', sort: 'name', order: 'asc' } });
    expect(orgs.status).toBe(200);
    expect(orgs.body.data.map((d: { name: string }) => d.name)).toEqual(['list-a.org', 'list-b.org']);
    expect(orgs.body.meta).toMatchObject({ total: 2, page: 1 });
    const ofBob = await t.http.get('/api/v1/domains', { ...auth(), query: { customer_id: bob, status: 'active', sort: 'expires_at', per_page: 1 } });
    expect(ofBob.body.meta).toMatchObject({ total: 2, has_next: true });
    const next = await t.http.get('/api/v1/domains', { ...auth(), query: { customer_id: bob, status: 'active', sort: 'expires_at', per_page: 1, cursor: ofBob.body.meta.next_cursor } });
    expect(next.body.data).toHaveLength(1);
    expect(next.body.data[0].id).not.toBe(ofBob.body.data[0].id);
    expect((await t.http.get('/api/v1/domains', { ...auth(), query: { status: 'gone' } })).status).toBe(400);


    // Customer users are live-mode logins: live customers, live domains (the sandbox registrar is live mode's default too).
    const live = { token: shop.tenant.accessToken };
    const liveCustomer = async (first: string) => (await t.http.post('/api/v1/customers', { email: `${first}-${Date.now()}@example.test`, first_name: first, last_name: 'Live' }, live)).body.data.id as string;
    const carol = await liveCustomer('carol');
    const dave = await liveCustomer('dave');
    const carols = (await t.http.post('/api/v1/domains', { name: 'carol.com', customer_id: carol, years: 1 }, live)).body.data;
    const daves = (await t.http.post('/api/v1/domains', { name: 'dave.com', customer_id: dave, years: 1 }, live)).body.data;
    expect(carols.livemode).toBe(true);
    const email = `carol-user-${Date.now()}@example.test`;
    expect((await t.http.post('/api/v1/users', { email, password: 'customer-pass-1', role: 'customer', customer_id: carol }, live)).status).toBe(201);
    const carolToken = (await t.http.post('/api/v1/auth/login', { email, password: 'customer-pass-1' })).body.data.access_token;
    const seen = await t.http.get('/api/v1/domains', { token: carolToken });
    expect(seen.status).toBe(200);
    expect(seen.body.data.map((d: { id: string }) => d.id)).toEqual([carols.id]);
    expect((await t.http.get(`/api/v1/domains/${carols.id}`, { token: carolToken })).status).toBe(200);
    expect((await t.http.get(`/api/v1/domains/${daves.id}`, { token: carolToken })).status).toBe(404);
    expect((await t.http.get('/api/v1/domains', { token: carolToken, query: { customer_id: dave } })).body.data).toEqual([]);
    expect((await t.http.get('/api/v1/domains/check/x.com', { token: carolToken })).status).toBe(403);
    expect((await t.http.post(`/api/v1/domains/${carols.id}/renew`, { years: 1 }, { token: carolToken })).status).toBe(403);
  });

  it('changes nameservers and auto-renew; refuses bad nameservers', async () => {
    const d = (await register({ name: 'ns-change.com', customer_id: alice })).body.data;
    const res = await t.http.patch(`/api/v1/domains/${d.id}`, { nameservers: ['a.dns.example', 'b.dns.example', 'c.dns.example'], auto_renew: false }, auth());
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ nameservers: ['a.dns.example', 'b.dns.example', 'c.dns.example'], auto_renew: false });
    expect((await t.http.patch(`/api/v1/domains/${d.id}`, { nameservers: [] }, auth())).body.data.nameservers).toEqual([]);
    for (const nameservers of [['only.one.example'], ['a.example', 'a.example'], ['bad_host.example', 'b.example']]) {
      const bad = await t.http.patch(`/api/v1/domains/${d.id}`, { nameservers }, auth());
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toMatch(/^nameservers/);
    }
    expect((await t.http.patch(`/api/v1/domains/${d.id}`, {}, auth())).status).toBe(422);
  });

  it('renews for N years from the current expiry, invoiced at the renewal price; never past 10 years out', async () => {
    const d = (await register({ name: 'renew-me.com', customer_id: alice })).body.data;
    const res = await t.http.post(`/api/v1/domains/${d.id}/renew`, { years: 3 }, auth());
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ expires_at: '2030-06-01T12:00:00.000Z', status: 'active' });
    expect(res.body.data.latest_invoice_id).not.toBe(d.latest_invoice_id);
    const invoice = (await t.http.get(`/api/v1/invoices/${res.body.data.latest_invoice_id}`, auth())).body.data;
    expect(invoice).toMatchObject({ total: 3 * 1400 });
    expect(invoice.lines[0]).toMatchObject({ description: 'Domain renewal renew-me.com, 3 years', quantity: 3, unit_amount: 1400 });
    expect((await events('domain.renewed')).map((e) => e.data.object.expires_at)).toContain('2030-06-01T12:00:00.000Z');
    const tooFar = await t.http.post(`/api/v1/domains/${d.id}/renew`, { years: 7 }, auth());
    expect(tooFar.status).toBe(422);
    expect(tooFar.body.error.field).toBe('years');
    expect((await t.http.post(`/api/v1/domains/${d.id}/renew`, { years: 0 }, auth())).status).toBe(422);
  });

  it('transfers out: the auth code is shown once and stored only as a hash', async () => {
    const d = (await register({ name: 'leaving.com', customer_id: alice })).body.data;
    const res = await t.http.post(`/api/v1/domains/${d.id}/transfer-out`, undefined, auth());
    expect(res.status).toBe(200);
    const code: string = res.body.data.auth_code;
    expect(code.length).toBeGreaterThanOrEqual(16);
    expect(res.body.data).toMatchObject({ id: d.id, status: 'transfer_pending' });
    expect(res.body.data.transfer_requested_at).toBe('2026-06-01T12:00:00.000Z');

    const [row] = await db.query('SELECT transfer_auth_hash FROM domains WHERE id = $1', [d.id]);
    expect(row.transfer_auth_hash).toBe(createHash('sha256').update(code).digest('hex'));
    const got = await t.http.get(`/api/v1/domains/${d.id}`, auth());
    expect(got.body.data).not.toHaveProperty('auth_code');
    expect(JSON.stringify(got.body)).not.toContain(code);
    const again = await t.http.post(`/api/v1/domains/${d.id}/transfer-out`, undefined, auth());
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(code);
    const [event] = (await events('domain.transfer_out_requested')).filter((e) => e.data.object.id === d.id);
    expect(event.data.object.status).toBe('transfer_pending');
    expect(JSON.stringify(event)).not.toContain(code);
    expect((await t.http.post(`/api/v1/domains/${d.id}/renew`, { years: 1 }, auth())).status).toBe(409);
    expect((await t.http.patch(`/api/v1/domains/${d.id}`, { auto_renew: false }, auth())).status).toBe(409);
  });

  it('registers a name once: a replayed Idempotency-Key, and two racing requests (one 201, one 409)', async () => {
    const headers = { 'Idempotency-Key': `dom-${Date.now()}` };
    const first = await t.http.post('/api/v1/domains', { name: 'once.com', customer_id: alice, years: 1 }, { ...auth(), headers });
    const replay = await t.http.post('/api/v1/domains', { name: 'once.com', customer_id: alice, years: 1 }, { ...auth(), headers });
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.data.id).toBe(first.body.data.id);
    const racing = await Promise.all([1, 2].map(() => register({ name: 'race.com', customer_id: alice })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await t.http.get('/api/v1/domains', { ...auth(), query: { customer_id: alice, per_page: 200 } })).body.data.filter((d: { name: string }) => d.name === 'race.com')).toHaveLength(1);
  });

  it('keeps a customer with a domain from being deleted', async () => {
    const erin = await shop.customer('erin');
    expect((await register({ name: 'erins.com', customer_id: erin })).status).toBe(201);
    const res = await t.http.delete(`/api/v1/customers/${erin}`, auth());
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'domains' })]));
    expect(res.body.error.message).toContain('1 domain');
  });

  it('keeps domains to staff and scoped keys', async () => {
    const readOnly = (await createApiKey(t.http, shop.tenant.accessToken, { mode: 'test', access: 'read_only' })).secret;
    expect((await t.http.get('/api/v1/domains/check/ok.com', { token: readOnly })).status).toBe(200);
    expect((await t.http.post('/api/v1/domains', { name: 'ro.com', customer_id: alice, years: 1 }, { token: readOnly })).status).toBe(403);
    const scoped = (await createApiKey(t.http, shop.tenant.accessToken, { mode: 'test', scopes: ['orders:read'] })).secret;
    expect((await t.http.get('/api/v1/domains', { token: scoped })).status).toBe(403);
    expect((await t.http.get('/api/v1/domains')).status).toBe(401);
  });
});

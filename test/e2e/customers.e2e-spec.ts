import { TransactionService } from '../../src/database/transaction.service';
import { CustomersService } from '../../src/modules/customers/customers.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

type Customer = {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  account_ref_id: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  addresses: Address[];
};
type Address = { id: string; kind: 'shipping' | 'billing'; is_default: boolean; line1: string; city: string; country: string };

const address = (overrides: Record<string, unknown> = {}) => ({ line1: '1 Main St', city: 'Springfield', country: 'US', ...overrides });

describe('customers (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let other: TenantFixture;
  let token: string;
  let seq = 0;

  /** A customer through the API; unique e-mail unless given. */
  async function createCustomer(body: Record<string, unknown> = {}, as = token): Promise<Customer> {
    seq += 1;
    const res = await t.http.post(
      '/api/v1/customers',
      { email: `buyer-${seq}-${Date.now()}@example.test`, first_name: 'Ada', last_name: 'Lovelace', ...body },
      { token: as },
    );
    if (res.status !== 201) throw new Error(`create customer: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  async function getCustomer(id: string, as = token) {
    return t.http.get(`/api/v1/customers/${id}`, { token: as });
  }

  /** Checks the invariant through API reads: each kind with addresses has exactly one default. */
  async function expectOneDefaultPerKind(id: string): Promise<Address[]> {
    const res = await getCustomer(id);
    expect(res.status).toBe(200);
    const addresses: Address[] = res.body.data.addresses;
    for (const kind of ['shipping', 'billing'] as const) {
      const ofKind = addresses.filter((a) => a.kind === kind);
      const defaults = ofKind.filter((a) => a.is_default);
      expect(defaults).toHaveLength(ofKind.length > 0 ? 1 : 0);
    }
    return addresses;
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Customer shop');
    other = await signUpTenant(t.http, 'Other shop');
    token = shop.accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('CRUD', () => {
    it('creates a customer with addresses, lower-cases the e-mail and reads it back with a zero order summary', async () => {
      const res = await t.http.post(
        '/api/v1/customers',
        {
          email: 'Grace.Hopper@Example.TEST',
          first_name: 'Grace',
          last_name: 'Hopper',
          phone: '+1 555 0100',
          company: 'Navy',
          account_ref_id: 'ACC123456789',
          tags: ['vip', 'hosting', 'vip'],
          metadata: { source: 'import' },
          addresses: [address({ kind: 'billing' }), address({ line1: '2 Side St' }), address({ line1: '3 Back St' })],
        },
        { token },
      );
      expect(res.status).toBe(201);
      const c = res.body.data;
      expect(c.id).toMatch(/^cus_/);
      expect(c).toMatchObject({
        email: 'grace.hopper@example.test', first_name: 'Grace', last_name: 'Hopper', phone: '+1 555 0100', company: 'Navy',
        account_ref_id: 'ACC123456789', tags: ['vip', 'hosting'], metadata: { source: 'import' },
      });
      expect(c.addresses).toHaveLength(3);
      // The first address of each kind became its default.
      const shipping = c.addresses.filter((a: Address) => a.kind === 'shipping');
      expect(shipping.find((a: Address) => a.is_default).line1).toBe('2 Side St');
      expect(c.addresses.find((a: Address) => a.kind === 'billing').is_default).toBe(true);

      const got = await getCustomer(c.id);
      expect(got.status).toBe(200);
      expect(got.body.data).toMatchObject({ id: c.id, email: 'grace.hopper@example.test' });
      expect(got.body.data.order_summary).toEqual({ order_count: 0, total_spent: 0, currency: null, last_order_at: null });
      expect(got.body.meta.livemode).toBe(true);
    });

    it('updates partially with PATCH and with PUT, and clears nullable fields with null', async () => {
      const c = await createCustomer({ phone: '123', company: 'Acme', tags: ['a'] });
      const patched = await t.http.patch(`/api/v1/customers/${c.id}`, { first_name: 'Augusta', email: 'ADA@Example.test' }, { token });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'Lovelace', email: 'ada@example.test', phone: '123', company: 'Acme', tags: ['a'] });

      const put = await t.http.put(`/api/v1/customers/${c.id}`, { last_name: 'King', phone: null, tags: ['b', 'c'], metadata: { k: 'v' } }, { token });
      expect(put.status).toBe(200);
      expect(put.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'King', phone: null, company: 'Acme', tags: ['b', 'c'], metadata: { k: 'v' } });
      expect(new Date(put.body.data.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(c.updated_at).getTime());

      const got = await getCustomer(c.id);
      expect(got.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'King', phone: null });
    });

    it('deletes a customer (204), after which it is 404', async () => {
      const c = await createCustomer({ addresses: [address()] });
      const del = await t.http.delete(`/api/v1/customers/${c.id}`, { token });
      expect(del.status).toBe(204);
      expect((await getCustomer(c.id)).status).toBe(404);
      expect((await t.http.delete(`/api/v1/customers/${c.id}`, { token })).status).toBe(404);
      expect((await t.http.patch(`/api/v1/customers/${c.id}`, { first_name: 'X' }, { token })).status).toBe(404);
    });

    it('answers 404 for malformed and unknown ids', async () => {
      expect((await getCustomer('nope')).status).toBe(404);
      expect((await getCustomer('prod_01h2xcejqtf2nbrexx3vqjhp41')).status).toBe(404);
      const unknown = await getCustomer('cus_01h2xcejqtf2nbrexx3vqjhp41');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
    });
  });

  describe('account_ref_id', () => {
    it('is unique per tenant and mode: 409 naming account_ref_id on create and update', async () => {
      await createCustomer({ account_ref_id: 'demo-account-123' });
      const dup = await t.http.post('/api/v1/customers', { email: 'dup@example.test', first_name: 'D', last_name: 'U', account_ref_id: 'demo-account-123' }, { token });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'account_ref_id' });

      const c = await createCustomer({ account_ref_id: 'usr_abc123' });
      const clash = await t.http.patch(`/api/v1/customers/${c.id}`, { account_ref_id: 'demo-account-123' }, { token });
      expect(clash.status).toBe(409);
      expect(clash.body.error.field).toBe('account_ref_id');
      // Keeping its own reference is not a conflict; null clears it and frees it.
      expect((await t.http.patch(`/api/v1/customers/${c.id}`, { account_ref_id: 'usr_abc123' }, { token })).status).toBe(200);
      const cleared = await t.http.patch(`/api/v1/customers/${c.id}`, { account_ref_id: null }, { token });
      expect(cleared.body.data.account_ref_id).toBeNull();
      await createCustomer({ account_ref_id: 'usr_abc123' });
    });

    it('may repeat across tenants and modes', async () => {
      await createCustomer({ account_ref_id: 'shared-ref' });
      await createCustomer({ account_ref_id: 'shared-ref' }, other.accessToken);
      const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
      await createCustomer({ account_ref_id: 'shared-ref' }, testKey.secret);
    });
  });

  describe('validation', () => {
    it.each([
      [{ first_name: 'A', last_name: 'B' }, 'email'],
      [{ email: 'not-an-email', first_name: 'A', last_name: 'B' }, 'email'],
      [{ email: 'a@example.test', first_name: '', last_name: 'B' }, 'first_name'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'x'.repeat(101) }, 'last_name'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', tags: ['x'.repeat(51)] }, 'tags'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', metadata: { n: 1 } }, 'metadata'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', account_ref_id: 'has space' }, 'account_ref_id'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', unknown: 1 }, 'unknown'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', addresses: [address({ country: 'us' })] }, 'addresses.0.country'],
      [{ email: 'a@example.test', first_name: 'A', last_name: 'B', addresses: [{ city: 'X', country: 'US' }] }, 'addresses.0.line1'],
    ])('rejects %j with 422 naming %s', async (body, field) => {
      const res = await t.http.post('/api/v1/customers', body, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('rejects nulls for required fields and bad values on update', async () => {
      const c = await createCustomer();
      for (const [body, field] of [
        [{ email: null }, 'email'],
        [{ first_name: null }, 'first_name'],
        [{ tags: 'vip' }, 'tags'],
        [{ metadata: { a: { b: 'c' } } }, 'metadata'],
      ] as const) {
        const res = await t.http.patch(`/api/v1/customers/${c.id}`, body, { token });
        expect(res.status).toBe(422);
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const bad = await t.http.patch(`/api/v1/customers/${c.id}/addresses/addr_01h2xcejqtf2nbrexx3vqjhp41`, { country: 'USA' }, { token });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('country');
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t.http.post('/api/v1/customers', undefined, { token, rawBody: '{"email": ' });
      expect(res.status).toBe(400);
    });
  });

  describe('addresses', () => {
    it('keeps exactly one default per kind through add, set-default, update and delete', async () => {
      const c = await createCustomer();
      const base = `/api/v1/customers/${c.id}/addresses`;
      const first = await t.http.post(base, address({ line1: 'first' }), { token });
      expect(first.status).toBe(201);
      expect(first.body.data).toMatchObject({ kind: 'shipping', is_default: true, line1: 'first', country: 'US', line2: null });
      const second = (await t.http.post(base, address({ line1: 'second' }), { token })).body.data;
      expect(second.is_default).toBe(false);
      const third = (await t.http.post(base, address({ line1: 'third' }), { token })).body.data;
      const billing = (await t.http.post(base, address({ kind: 'billing', line1: 'bill' }), { token })).body.data;
      expect(billing.is_default).toBe(true);
      await expectOneDefaultPerKind(c.id);

      // set-default flips the shipping default; the billing default is untouched.
      const flipped = await t.http.post(`${base}/${second.id}/set-default`, undefined, { token });
      expect(flipped.status).toBe(200);
      expect(flipped.body.data).toMatchObject({ id: second.id, is_default: true });
      let all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.id === first.body.data.id)!.is_default).toBe(false);
      expect(all.find((a) => a.id === billing.id)!.is_default).toBe(true);
      // Setting the current default again changes nothing.
      expect((await t.http.post(`${base}/${second.id}/set-default`, undefined, { token })).body.data.is_default).toBe(true);

      // Adding with is_default takes the default over.
      const fourth = (await t.http.post(base, address({ line1: 'fourth', is_default: true }), { token })).body.data;
      expect(fourth.is_default).toBe(true);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.id === second.id)!.is_default).toBe(false);

      // PATCH and PUT update fields, not the default.
      const patched = await t.http.patch(`${base}/${fourth.id}`, { city: 'Shelbyville', line2: 'Apt 4', region: 'IL' }, { token });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ city: 'Shelbyville', line2: 'Apt 4', region: 'IL', is_default: true, line1: 'fourth' });
      const put = await t.http.put(`${base}/${fourth.id}`, { line2: null, postal_code: '62704' }, { token });
      expect(put.body.data).toMatchObject({ line2: null, postal_code: '62704', city: 'Shelbyville' });

      // Deleting the default promotes the most recently added other address of that kind (third).
      expect((await t.http.delete(`${base}/${fourth.id}`, { token })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.is_default && a.kind === 'shipping')!.id).toBe(third.id);
      // Deleting a non-default leaves the default alone.
      expect((await t.http.delete(`${base}/${first.body.data.id}`, { token })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.is_default && a.kind === 'shipping')!.id).toBe(third.id);
      // Deleting the last billing address leaves billing with none.
      expect((await t.http.delete(`${base}/${billing.id}`, { token })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.filter((a) => a.kind === 'billing')).toHaveLength(0);
      expect((await t.http.delete(`${base}/${billing.id}`, { token })).status).toBe(404);
    });

    it('answers 404 for another customer\'s address and malformed address ids', async () => {
      const a = await createCustomer({ addresses: [address()] });
      const b = await createCustomer();
      const addrId = a.addresses[0].id;
      const base = `/api/v1/customers/${b.id}/addresses`;
      expect((await t.http.patch(`${base}/${addrId}`, { city: 'X' }, { token })).status).toBe(404);
      expect((await t.http.post(`${base}/${addrId}/set-default`, undefined, { token })).status).toBe(404);
      expect((await t.http.delete(`${base}/${addrId}`, { token })).status).toBe(404);
      expect((await t.http.delete(`${base}/garbage`, { token })).status).toBe(404);
      expect((await t.http.post(`/api/v1/customers/garbage/addresses`, address(), { token })).status).toBe(404);
      // a's address survived.
      expect((await getCustomer(a.id)).body.data.addresses).toHaveLength(1);
    });
  });

  describe('list: filters, sorting, paging', () => {
    let lister: TenantFixture;
    const ids: string[] = [];

    beforeAll(async () => {
      lister = await signUpTenant(t.http, 'Lister');
      for (let i = 0; i < 65; i++) {
        const c = await createCustomer(
          {
            email: `person${String(i).padStart(2, '0')}@example.test`,
            first_name: i % 2 === 0 ? 'Alice' : 'Bob',
            last_name: `Zed${String(64 - i).padStart(2, '0')}`,
            tags: i % 3 === 0 ? ['vip', 'hosting'] : i % 3 === 1 ? ['vip'] : [],
            account_ref_id: `REF-${i}`,
          },
          lister.accessToken,
        );
        ids.push(c.id);
      }
    });

    const list = (query: Record<string, string | number | undefined>) =>
      t.http.get('/api/v1/customers', { token: lister.accessToken, query });

    it('filters by email (case-insensitive exact), name prefix, tags (all of them) and account_ref_id', async () => {
      const byEmail = await list({ email: 'PERSON07@example.TEST' });
      expect(byEmail.body.data.map((c: Customer) => c.id)).toEqual([ids[7]]);
      expect((await list({ email: 'person07' })).body.data).toHaveLength(0);

      const byName = await list({ name: 'ali', per_page: 200 });
      expect(byName.body.meta.total).toBe(33);
      expect(byName.body.data.every((c: Customer) => c.first_name === 'Alice')).toBe(true);
      expect((await list({ name: 'zed0' })).body.meta.total).toBe(10);
      expect((await list({ name: 'alice zed64' })).body.data.map((c: Customer) => c.id)).toEqual([ids[0]]);
      expect((await list({ name: '%' })).body.meta.total).toBe(0);

      expect((await list({ tags: 'vip' })).body.meta.total).toBe(44);
      const both = await list({ tags: 'vip,hosting', per_page: 200 });
      expect(both.body.meta.total).toBe(22);
      expect(both.body.data.every((c: Customer) => c.tags.includes('hosting') && c.tags.includes('vip'))).toBe(true);
      expect((await list({ tags: 'hosting,nope' })).body.meta.total).toBe(0);

      const byRef = await list({ account_ref_id: 'REF-12' });
      expect(byRef.body.data.map((c: Customer) => c.id)).toEqual([ids[12]]);
    });

    it('filters by creation range and names a malformed date', async () => {
      const all = (await list({ per_page: 200, sort: 'created_at', order: 'asc' })).body.data as Customer[];
      const mid = all[30].created_at;
      const from = await list({ created_from: mid, per_page: 200 });
      expect(from.body.data.every((c: Customer) => c.created_at >= mid)).toBe(true);
      const to = await list({ created_to: mid, per_page: 200 });
      expect(to.body.data.every((c: Customer) => c.created_at <= mid)).toBe(true);
      expect(from.body.meta.total + to.body.meta.total).toBe(65 + all.filter((c) => c.created_at === mid).length);
      expect((await list({ created_from: '2000-01-01', created_to: '2000-12-31' })).body.meta.total).toBe(0);

      for (const param of ['created_from', 'created_to']) {
        const bad = await list({ [param]: 'yesterday' });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatchObject({ code: 'invalid_request', field: param });
      }
    });

    it('sorts by created_at, updated_at, email and last_name, and rejects unknown sorts', async () => {
      const byEmail = (await list({ sort: 'email', per_page: 200 })).body.data.map((c: Customer) => c.email);
      expect(byEmail).toEqual([...byEmail].sort());
      expect(byEmail[0]).toBe('person00@example.test');
      const byEmailDesc = (await list({ sort: 'email', order: 'desc', per_page: 5 })).body.data.map((c: Customer) => c.email);
      expect(byEmailDesc[0]).toBe('person64@example.test');
      const byLast = (await list({ sort: 'last_name', per_page: 200 })).body.data.map((c: Customer) => c.last_name);
      expect(byLast[0]).toBe('Zed00');
      expect(byLast).toEqual([...byLast].sort());
      const newest = (await list({ per_page: 1 })).body.data[0];
      expect(newest.id).toBe(ids[64]);
      const oldest = (await list({ sort: 'created_at', order: 'asc', per_page: 1 })).body.data[0];
      expect(oldest.id).toBe(ids[0]);
      const touched = await t.http.patch(`/api/v1/customers/${ids[5]}`, { company: 'Touched' }, { token: lister.accessToken });
      expect(touched.status).toBe(200);
      expect((await list({ sort: 'updated_at', order: 'desc', per_page: 1 })).body.data[0].id).toBe(ids[5]);

      const bad = await list({ sort: 'password' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('sort');
      expect((await list({ order: 'sideways' })).body.error.field).toBe('order');
    });

    it('pages with offsets', async () => {
      const page2 = await list({ page: 2, per_page: 20 });
      expect(page2.body.meta).toMatchObject({ page: 2, per_page: 20, total: 65, total_pages: 4, has_next: true, has_previous: true });
      expect(page2.body.data).toHaveLength(20);
      const last = await list({ page: 4, limit: 20 });
      expect(last.body.meta).toMatchObject({ page: 4, has_next: false, next_cursor: null });
      expect(last.body.data).toHaveLength(5);
      expect((await list({ per_page: 201 })).status).toBe(400);
    });

    it.each(['created_at', 'email', 'last_name', 'updated_at'])('walks every customer exactly once with cursors sorted by %s', async (sort) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await list({ sort, per_page: 7, cursor });
        expect(res.status).toBe(200);
        if (cursor) expect(res.body.meta.total).toBeUndefined();
        seen.push(...res.body.data.map((c: Customer) => c.id));
        cursor = res.body.meta.next_cursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(10);
      expect(seen).toHaveLength(65);
      expect(new Set(seen)).toEqual(new Set(ids));
    });

    it('refuses a cursor from another sort', async () => {
      const first = await list({ sort: 'email', per_page: 5 });
      const res = await list({ sort: 'last_name', per_page: 5, cursor: first.body.meta.next_cursor });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('cursor');
    });
  });

  describe('isolation and access', () => {
    it('answers 404 for another tenant\'s customer on every route', async () => {
      const c = await createCustomer({ addresses: [address()] });
      const them = other.accessToken;
      expect((await getCustomer(c.id, them)).status).toBe(404);
      expect((await t.http.patch(`/api/v1/customers/${c.id}`, { first_name: 'X' }, { token: them })).status).toBe(404);
      expect((await t.http.put(`/api/v1/customers/${c.id}`, { first_name: 'X' }, { token: them })).status).toBe(404);
      expect((await t.http.delete(`/api/v1/customers/${c.id}`, { token: them })).status).toBe(404);
      expect((await t.http.post(`/api/v1/customers/${c.id}/addresses`, address(), { token: them })).status).toBe(404);
      const addr = c.addresses[0].id;
      expect((await t.http.patch(`/api/v1/customers/${c.id}/addresses/${addr}`, { city: 'X' }, { token: them })).status).toBe(404);
      expect((await t.http.post(`/api/v1/customers/${c.id}/addresses/${addr}/set-default`, undefined, { token: them })).status).toBe(404);
      expect((await t.http.delete(`/api/v1/customers/${c.id}/addresses/${addr}`, { token: them })).status).toBe(404);
      const theirList = await t.http.get('/api/v1/customers', { token: them, query: { email: c.email } });
      expect(theirList.body.data).toHaveLength(0);
      expect((await getCustomer(c.id)).body.data.first_name).toBe('Ada');
    });

    it('keeps test-mode and live customers apart', async () => {
      const live = await createCustomer({ email: 'mode-check@example.test' });
      const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
      expect((await getCustomer(live.id, testKey.secret)).status).toBe(404);
      const testList = await t.http.get('/api/v1/customers', { token: testKey.secret, query: { email: 'mode-check@example.test' } });
      expect(testList.body.data).toHaveLength(0);
      expect(testList.body.meta.livemode).toBe(false);
      const sandbox = await createCustomer({ email: 'mode-check@example.test' }, testKey.secret);
      expect((await getCustomer(sandbox.id)).status).toBe(404);
      const got = await getCustomer(sandbox.id, testKey.secret);
      expect(got.status).toBe(200);
      expect(got.body.meta.livemode).toBe(false);
    });

    it('enforces customers:read / customers:write scopes and read-only keys', async () => {
      const c = await createCustomer();
      const reader = await createApiKey(t.http, shop.accessToken, { scopes: ['customers:read'] });
      expect((await t.http.get('/api/v1/customers', { token: reader.secret })).status).toBe(200);
      expect((await getCustomer(c.id, reader.secret)).status).toBe(200);
      expect((await t.http.patch(`/api/v1/customers/${c.id}`, { first_name: 'X' }, { token: reader.secret })).status).toBe(403);
      const productsOnly = await createApiKey(t.http, shop.accessToken, { scopes: ['products:read'] });
      expect((await t.http.get('/api/v1/customers', { token: productsOnly.secret })).status).toBe(403);
      const readOnly = await createApiKey(t.http, shop.accessToken, { access: 'read_only' });
      expect((await t.http.post('/api/v1/customers', { email: 'ro@example.test', first_name: 'R', last_name: 'O' }, { token: readOnly.secret })).status).toBe(403);
      const writer = await createApiKey(t.http, shop.accessToken, { scopes: ['customers:write'] });
      await createCustomer({}, writer.secret);
      expect((await t.http.get('/api/v1/customers')).status).toBe(401);
    });

    it('lets a customer user read only its own customer', async () => {
      const mine = await createCustomer();
      const theirs = await createCustomer();
      const email = `portal-${Date.now()}@example.test`;
      const user = await t.http.post('/api/v1/users', { email, password: 'customer-pass-1', role: 'customer', customer_id: mine.id }, { token });
      expect(user.status).toBe(201);
      const login = await t.http.post('/api/v1/auth/login', { email, password: 'customer-pass-1', tenant_id: shop.tenantId });
      expect(login.status).toBe(200);
      const portal = login.body.data.access_token;
      const own = await getCustomer(mine.id, portal);
      expect(own.status).toBe(200);
      expect(own.body.data.id).toBe(mine.id);
      expect(own.body.data.order_summary.order_count).toBe(0);
      expect((await getCustomer(theirs.id, portal)).status).toBe(404);
      expect((await t.http.get('/api/v1/customers', { token: portal })).status).toBe(403);
      expect((await t.http.patch(`/api/v1/customers/${mine.id}`, { first_name: 'Me' }, { token: portal })).status).toBe(403);
      expect((await t.http.post(`/api/v1/customers/${mine.id}/addresses`, address(), { token: portal })).status).toBe(403);
    });
  });

  describe('events', () => {
    it('records customer.created and customer.updated with the customer as it was after the change', async () => {
      const fresh = await signUpTenant(t.http, 'Evented');
      const c = await createCustomer({ email: 'evented@example.test' }, fresh.accessToken);
      await t.http.patch(`/api/v1/customers/${c.id}`, { last_name: 'Byron' }, { token: fresh.accessToken });
      const addr = await t.http.post(`/api/v1/customers/${c.id}/addresses`, address(), { token: fresh.accessToken });
      expect(addr.status).toBe(201);

      const created = await t.http.get('/api/v1/events', { token: fresh.accessToken, query: { type: 'customer.created' } });
      expect(created.status).toBe(200);
      expect(created.body.data).toHaveLength(1);
      expect(created.body.data[0].data.object).toMatchObject({ id: c.id, email: 'evented@example.test', last_name: 'Lovelace' });

      const updated = await t.http.get('/api/v1/events', { token: fresh.accessToken, query: { type: 'customer.updated', order: 'asc' } });
      expect(updated.body.data).toHaveLength(2);
      expect(updated.body.data[0].data.object).toMatchObject({ id: c.id, last_name: 'Byron', addresses: [] });
      expect(updated.body.data[1].data.object.addresses).toHaveLength(1);

      // A rejected change records nothing.
      await t.http.patch(`/api/v1/customers/${c.id}`, { email: 'bad' }, { token: fresh.accessToken });
      const after = await t.http.get('/api/v1/events', { token: fresh.accessToken, query: { type: 'customer.*' } });
      expect(after.body.meta.total).toBe(3);
    });
  });

  describe('idempotency', () => {
    it('replays a POST with the same Idempotency-Key instead of creating a second customer', async () => {
      const key = `cus-${Date.now()}`;
      const body = { email: 'idem@example.test', first_name: 'I', last_name: 'Dem', account_ref_id: key };
      const first = await t.http.post('/api/v1/customers', body, { token, headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(201);
      const again = await t.http.post('/api/v1/customers', body, { token, headers: { 'Idempotency-Key': key } });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data.id).toBe(first.body.data.id);
      expect((await t.http.get('/api/v1/customers', { token, query: { account_ref_id: key } })).body.meta.total).toBe(1);
    });
  });

  describe('CustomersService for other modules', () => {
    let service: CustomersService;
    let tx: TransactionService;
    let billing: TenantFixture;
    let ctx: RequestContext;

    beforeAll(async () => {
      service = t.app.get(CustomersService);
      tx = t.app.get(TransactionService);
      billing = await signUpTenant(t.http, 'Billing caller');
      ctx = RequestContext.system('billing-test', billing.tenantId, 'live');
    });

    it('findOrCreateByEmailAndRef finds by account_ref_id, else creates once and emits customer.created', async () => {
      const created = await service.findOrCreateByEmailAndRef(ctx, 'Buyer@Example.test', 'TWY4k2ZQPp19s8Hd');
      expect(created.id).toMatch(/^cus_/);
      expect(created.email).toBe('buyer@example.test');
      const again = await service.findOrCreateByEmailAndRef(ctx, 'someone-else@example.test', 'TWY4k2ZQPp19s8Hd');
      expect(again.id).toBe(created.id);
      expect((await service.getOrThrow(ctx, created.id)).accountRefId).toBe('TWY4k2ZQPp19s8Hd');

      // Concurrent callers with a new reference end up with one customer and one event.
      const racers = await Promise.all(Array.from({ length: 8 }, () => service.findOrCreateByEmailAndRef(ctx, 'race@example.test', 'RACE-1')));
      expect(new Set(racers.map((c) => c.id)).size).toBe(1);
      const events = await t.http.get('/api/v1/events', { token: billing.accessToken, query: { type: 'customer.created', per_page: 200 } });
      expect(events.body.data.filter((e: { data: { object: Customer } }) => e.data.object.account_ref_id === 'RACE-1')).toHaveLength(1);
      expect(events.body.meta.total).toBe(2);

      // Without a reference it finds by e-mail.
      expect((await service.findOrCreateByEmailAndRef(ctx, 'BUYER@example.test', null)).id).toBe(created.id);
      // The customer is readable through the API, with empty names until someone fills them in.
      const got = await t.http.get(`/api/v1/customers/${created.id}`, { token: billing.accessToken });
      expect(got.body.data).toMatchObject({ first_name: '', last_name: '', account_ref_id: 'TWY4k2ZQPp19s8Hd' });
    });

    it('joins the caller\'s transaction: a rollback takes the customer and its event with it', async () => {
      await expect(
        tx.run(ctx, async (txCtx) => {
          await service.findOrCreateByEmailAndRef(txCtx, 'rollback@example.test', 'ROLLBACK-1');
          throw new Error('caller failed');
        }),
      ).rejects.toThrow('caller failed');
      expect((await t.http.get('/api/v1/customers', { token: billing.accessToken, query: { account_ref_id: 'ROLLBACK-1' } })).body.meta.total).toBe(0);
      const events = await t.http.get('/api/v1/events', { token: billing.accessToken, query: { type: 'customer.created', per_page: 200 } });
      expect(events.body.data.some((e: { data: { object: Customer } }) => e.data.object.account_ref_id === 'ROLLBACK-1')).toBe(false);
    });

    it('getOrThrow answers 404 across tenants and for malformed ids', async () => {
      const mine = await service.findOrCreateByEmailAndRef(ctx, 'scoped@example.test', 'SCOPED-1');
      const otherCtx = RequestContext.system('billing-test', other.tenantId, 'live');
      await expect(service.getOrThrow(otherCtx, mine.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.getOrThrow(ctx.with({ mode: 'test' }), mine.id)).rejects.toMatchObject({ code: 'not_found' });
      await expect(service.getOrThrow(ctx, 'garbage')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
});

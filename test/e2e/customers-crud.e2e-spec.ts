import type { TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { customerAddress as address, createCustomer, startShopAppWithOther } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';

describe('customers: CRUD, account_ref_id, validation and idempotency (e2e)', () => {
  let t: TestApp, shop: TenantFixture, other: TenantFixture, token: string, api: TypedApi;

  const getCustomer = (id: string, as = token) => api.as(as).get('/customers/{id}', { path: { id } });

  beforeAll(async () => {
    ({ t, shop, token, api, other } = await startShopAppWithOther('Customer shop'));
  });
  afterAll(() => t.close());

  describe('CRUD', () => {
    it('creates a customer with addresses, lower-cases the e-mail and reads it back with a zero order summary', async () => {
      const res = await api.post('/customers', { body: {
          email: 'Grace.Hopper@Example.TEST',
          first_name: 'Grace',
          last_name: 'Hopper',
          phone: '+1 555 0100',
          company: 'Navy',
          account_ref_id: 'ACC123456789',
          tags: ['vip', 'hosting', 'vip'],
          metadata: { source: 'import' },
          addresses: [address({ kind: 'billing' }), address({ line1: '2 Side St' }), address({ line1: '3 Back St' })],
        } });
      expect(res.status).toBe(201);
      const c = res.body.data;
      expect(c.id).toMatch(/^cus_/);
      expect(c).toMatchObject({
        email: 'grace.hopper@example.test', first_name: 'Grace', last_name: 'Hopper', phone: '+1 555 0100', company: 'Navy',
        account_ref_id: 'ACC123456789', tags: ['vip', 'hosting'], metadata: { source: 'import' },
      });
      expect(c.addresses).toHaveLength(3);
      // The first address of each kind became its default.
      const shipping = c.addresses.filter((a) => a.kind === 'shipping');
      expect(shipping.find((a) => a.is_default)?.line1).toBe('2 Side St');
      expect(c.addresses.find((a) => a.kind === 'billing')?.is_default).toBe(true);

      const got = await getCustomer(c.id);
      expect(got.status).toBe(200);
      expect(got.body.data).toMatchObject({ id: c.id, email: 'grace.hopper@example.test' });
      expect(got.body.data.order_summary).toEqual({ order_count: 0, total_spent: 0, currency: null, last_order_at: null });
      expect(got.body.meta.livemode).toBe(true);
    });

    it('updates partially with PATCH and with PUT, and clears nullable fields with null', async () => {
      const c = await createCustomer(api, { phone: '123', company: 'Acme', tags: ['a'] });
      const patched = await api.patch('/customers/{id}', { path: { id: c.id }, body: { first_name: 'Augusta', email: 'ADA@Example.test' } });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'Lovelace', email: 'ada@example.test', phone: '123', company: 'Acme', tags: ['a'] });

      const put = await api.put('/customers/{id}', { path: { id: c.id }, body: { last_name: 'King', phone: null, tags: ['b', 'c'], metadata: { k: 'v' } } });
      expect(put.status).toBe(200);
      expect(put.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'King', phone: null, company: 'Acme', tags: ['b', 'c'], metadata: { k: 'v' } });
      expect(new Date(put.body.data.updated_at).getTime()).toBeGreaterThanOrEqual(new Date(c.updated_at).getTime());

      const got = await getCustomer(c.id);
      expect(got.body.data).toMatchObject({ first_name: 'Augusta', last_name: 'King', phone: null });
    });

    it('deletes a customer (204), after which it is 404', async () => {
      const c = await createCustomer(api, { addresses: [address()] });
      const del = await api.delete('/customers/{id}', { path: { id: c.id } });
      expect(del.status).toBe(204);
      expect((await getCustomer(c.id)).status).toBe(404);
      expect((await api.delete('/customers/{id}', { path: { id: c.id } })).status).toBe(404);
      expect((await api.patch('/customers/{id}', { path: { id: c.id }, body: { first_name: 'X' } })).status).toBe(404);
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
      await createCustomer(api, { account_ref_id: 'demo-account-123' });
      const dup = await api.post('/customers', { body: { email: 'dup@example.test', first_name: 'D', last_name: 'U', account_ref_id: 'demo-account-123' } });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'account_ref_id' });

      const c = await createCustomer(api, { account_ref_id: 'usr_abc123' });
      const clash = await api.patch('/customers/{id}', { path: { id: c.id }, body: { account_ref_id: 'demo-account-123' } });
      expect(clash.status).toBe(409);
      expect(clash.body.error.field).toBe('account_ref_id');
      // Keeping its own reference is not a conflict; null clears it and frees it.
      expect((await api.patch('/customers/{id}', { path: { id: c.id }, body: { account_ref_id: 'usr_abc123' } })).status).toBe(200);
      const cleared = await api.patch('/customers/{id}', { path: { id: c.id }, body: { account_ref_id: null } });
      expect(cleared.body.data.account_ref_id).toBeNull();
      await createCustomer(api, { account_ref_id: 'usr_abc123' });
    });

    it('may repeat across tenants and modes', async () => {
      await createCustomer(api, { account_ref_id: 'shared-ref' });
      await createCustomer(api.as(other.accessToken), { account_ref_id: 'shared-ref' });
      const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
      await createCustomer(api.as(testKey.secret), { account_ref_id: 'shared-ref' });
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
      const res = await api.send('post', '/customers', { body });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.details.map((d) => d.field)).toContain(field);
    });

    it('rejects nulls for required fields and bad values on update', async () => {
      const c = await createCustomer(api);
      for (const [body, field] of [
        [{ email: null }, 'email'],
        [{ first_name: null }, 'first_name'],
        [{ tags: 'vip' }, 'tags'],
        [{ metadata: { a: { b: 'c' } } }, 'metadata'],
      ] as const) {
        const res = await api.send('patch', '/customers/{id}', { path: { id: c.id }, body });
        expect(res.status).toBe(422);
        expect(res.body.error.details.map((d) => d.field)).toContain(field);
      }
      const bad = await api.patch('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: 'addr_01h2xcejqtf2nbrexx3vqjhp41' }, body: { country: 'USA' } });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('country');
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t.http.post('/api/v1/customers', undefined, { token, rawBody: '{"email": ' });
      expect(res.status).toBe(400);
    });
  });

  describe('idempotency', () => {
    it('replays a POST with the same Idempotency-Key instead of creating a second customer', async () => {
      const key = `cus-${Date.now()}`;
      const body = { email: 'idem@example.test', first_name: 'I', last_name: 'Dem', account_ref_id: key };
      const first = await api.post('/customers', { body, headers: { 'Idempotency-Key': key } });
      expect(first.status).toBe(201);
      const again = await api.post('/customers', { body, headers: { 'Idempotency-Key': key } });
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.data.id).toBe(first.body.data.id);
      expect((await api.get('/customers', { query: { account_ref_id: key } })).body.meta.total).toBe(1);
    });
  });
});

import type { TestApp } from '../support/app';
import { customerAddress as address, createCustomer, signUpShop, startShopApp, type Customer } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';

type Address = Customer['addresses'][number];

describe('customers: addresses and events (e2e)', () => {
  let t: TestApp, token: string, api: TypedApi;

  const getCustomer = (id: string, as = token) => api.as(as).get('/customers/{id}', { path: { id } });

  /** Checks the invariant through API reads: each kind with addresses has exactly one default. */
  async function expectOneDefaultPerKind(id: string): Promise<Address[]> {
    const res = await getCustomer(id);
    expect(res.status).toBe(200);
    const addresses = res.body.data.addresses;
    for (const kind of ['shipping', 'billing'] as const) {
      const ofKind = addresses.filter((a) => a.kind === kind);
      const defaults = ofKind.filter((a) => a.is_default);
      expect(defaults).toHaveLength(ofKind.length > 0 ? 1 : 0);
    }
    return addresses;
  }

  beforeAll(async () => {
    ({ t, token, api } = await startShopApp('Customer shop'));
  });
  afterAll(() => t.close());

  describe('addresses', () => {
    it('keeps exactly one default per kind through add, set-default, update and delete', async () => {
      const c = await createCustomer(api);
      const first = await api.post('/customers/{id}/addresses', { path: { id: c.id }, body: address({ line1: 'first' }) });
      expect(first.status).toBe(201);
      expect(first.body.data).toMatchObject({ kind: 'shipping', is_default: true, line1: 'first', country: 'US', line2: null });
      const second = (await api.post('/customers/{id}/addresses', { path: { id: c.id }, body: address({ line1: 'second' }) })).body.data;
      expect(second.is_default).toBe(false);
      const third = (await api.post('/customers/{id}/addresses', { path: { id: c.id }, body: address({ line1: 'third' }) })).body.data;
      const billing = (await api.post('/customers/{id}/addresses', { path: { id: c.id }, body: address({ kind: 'billing', line1: 'bill' }) })).body.data;
      expect(billing.is_default).toBe(true);
      await expectOneDefaultPerKind(c.id);

      // set-default flips the shipping default; the billing default is untouched.
      const flipped = await api.post('/customers/{id}/addresses/{address_id}/set-default', { path: { id: c.id, address_id: second.id } });
      expect(flipped.status).toBe(200);
      expect(flipped.body.data).toMatchObject({ id: second.id, is_default: true });
      let all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.id === first.body.data.id)!.is_default).toBe(false);
      expect(all.find((a) => a.id === billing.id)!.is_default).toBe(true);
      // Setting the current default again changes nothing.
      expect((await api.post('/customers/{id}/addresses/{address_id}/set-default', { path: { id: c.id, address_id: second.id } })).body.data.is_default).toBe(true);

      // Adding with is_default takes the default over.
      const fourth = (await api.post('/customers/{id}/addresses', { path: { id: c.id }, body: address({ line1: 'fourth', is_default: true }) })).body.data;
      expect(fourth.is_default).toBe(true);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.id === second.id)!.is_default).toBe(false);

      // PATCH and PUT update fields, not the default.
      const patched = await api.patch('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: fourth.id }, body: { city: 'Shelbyville', line2: 'Apt 4', region: 'IL' } });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ city: 'Shelbyville', line2: 'Apt 4', region: 'IL', is_default: true, line1: 'fourth' });
      const put = await api.put('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: fourth.id }, body: { line2: null, postal_code: '62704' } });
      expect(put.body.data).toMatchObject({ line2: null, postal_code: '62704', city: 'Shelbyville' });

      // Deleting the default promotes the most recently added other address of that kind (third).
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: fourth.id } })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.is_default && a.kind === 'shipping')!.id).toBe(third.id);
      // Deleting a non-default leaves the default alone.
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: first.body.data.id } })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.find((a) => a.is_default && a.kind === 'shipping')!.id).toBe(third.id);
      // Deleting the last billing address leaves billing with none.
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: billing.id } })).status).toBe(204);
      all = await expectOneDefaultPerKind(c.id);
      expect(all.filter((a) => a.kind === 'billing')).toHaveLength(0);
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: billing.id } })).status).toBe(404);
    });

    it('answers 404 for another customer\'s address and malformed address ids', async () => {
      const a = await createCustomer(api, { addresses: [address()] });
      const b = await createCustomer(api);
      const addrId = a.addresses[0].id;
      expect((await api.patch('/customers/{id}/addresses/{address_id}', { path: { id: b.id, address_id: addrId }, body: { city: 'X' } })).status).toBe(404);
      expect((await api.post('/customers/{id}/addresses/{address_id}/set-default', { path: { id: b.id, address_id: addrId } })).status).toBe(404);
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: b.id, address_id: addrId } })).status).toBe(404);
      expect((await api.delete('/customers/{id}/addresses/{address_id}', { path: { id: b.id, address_id: 'garbage' } })).status).toBe(404);
      expect((await api.post('/customers/{id}/addresses', { path: { id: 'garbage' }, body: address() })).status).toBe(404);
      // a's address survived.
      expect((await getCustomer(a.id)).body.data.addresses).toHaveLength(1);
    });
  });

  describe('events', () => {
    it('records customer.created and customer.updated with the customer as it was after the change', async () => {
      const fresh = await signUpShop(t.http, 'Evented');
      const c = await createCustomer(api.as(fresh.accessToken), { email: 'evented@example.test' });
      await api.as(fresh.accessToken).patch('/customers/{id}', { path: { id: c.id }, body: { last_name: 'Byron' } });
      const addr = await api.as(fresh.accessToken).post('/customers/{id}/addresses', { path: { id: c.id }, body: address() });
      expect(addr.status).toBe(201);

      const created = await api.as(fresh.accessToken).get('/events', { query: { type: 'customer.created' } });
      expect(created.status).toBe(200);
      expect(created.body.data).toHaveLength(1);
      expect(created.body.data[0].data.object).toMatchObject({ id: c.id, email: 'evented@example.test', last_name: 'Lovelace' });

      const updated = await api.as(fresh.accessToken).get('/events', { query: { type: 'customer.updated', order: 'asc' } });
      expect(updated.body.data).toHaveLength(2);
      expect(updated.body.data[0].data.object).toMatchObject({ id: c.id, last_name: 'Byron', addresses: [] });
      expect(updated.body.data[1].data.object.addresses).toHaveLength(1);

      // A rejected change records nothing.
      await api.as(fresh.accessToken).patch('/customers/{id}', { path: { id: c.id }, body: { email: 'bad' } });
      const after = await api.as(fresh.accessToken).get('/events', { query: { type: 'customer.*' } });
      expect(after.body.meta.total).toBe(3);
    });
  });
});

import { TransactionService } from '../../src/database/transaction.service';
import { CustomersService } from '../../src/modules/customers/customers.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { customerAddress as address, createCustomer, signUpShop, startShopAppWithOther } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';

describe('customers: isolation, access and the service for other modules (e2e)', () => {
  let t: TestApp, shop: TenantFixture, other: TenantFixture, token: string, api: TypedApi;

  const getCustomer = (id: string, as = token) => api.as(as).get('/customers/{id}', { path: { id } });

  beforeAll(async () => {
    ({ t, shop, token, api, other } = await startShopAppWithOther('Customer shop'));
  });
  afterAll(() => t.close());

  describe('isolation and access', () => {
    it('answers 404 for another tenant\'s customer on every route', async () => {
      const c = await createCustomer(api, { addresses: [address()] });
      const them = other.accessToken;
      expect((await getCustomer(c.id, them)).status).toBe(404);
      expect((await api.as(them).patch('/customers/{id}', { path: { id: c.id }, body: { first_name: 'X' } })).status).toBe(404);
      expect((await api.as(them).put('/customers/{id}', { path: { id: c.id }, body: { first_name: 'X' } })).status).toBe(404);
      expect((await api.as(them).delete('/customers/{id}', { path: { id: c.id } })).status).toBe(404);
      expect((await api.as(them).post('/customers/{id}/addresses', { path: { id: c.id }, body: address() })).status).toBe(404);
      const addr = c.addresses[0].id;
      expect((await api.as(them).patch('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: addr }, body: { city: 'X' } })).status).toBe(404);
      expect((await api.as(them).post('/customers/{id}/addresses/{address_id}/set-default', { path: { id: c.id, address_id: addr } })).status).toBe(404);
      expect((await api.as(them).delete('/customers/{id}/addresses/{address_id}', { path: { id: c.id, address_id: addr } })).status).toBe(404);
      const theirList = await api.as(them).get('/customers', { query: { email: c.email } });
      expect(theirList.body.data).toHaveLength(0);
      expect((await getCustomer(c.id)).body.data.first_name).toBe('Ada');
    });

    it('keeps test-mode and live customers apart', async () => {
      const live = await createCustomer(api, { email: 'mode-check@example.test' });
      const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
      expect((await getCustomer(live.id, testKey.secret)).status).toBe(404);
      const testList = await api.as(testKey.secret).get('/customers', { query: { email: 'mode-check@example.test' } });
      expect(testList.body.data).toHaveLength(0);
      expect(testList.body.meta.livemode).toBe(false);
      const sandbox = await createCustomer(api.as(testKey.secret), { email: 'mode-check@example.test' });
      expect((await getCustomer(sandbox.id)).status).toBe(404);
      const got = await getCustomer(sandbox.id, testKey.secret);
      expect(got.status).toBe(200);
      expect(got.body.meta.livemode).toBe(false);
    });

    it('enforces customers:read / customers:write scopes and read-only keys', async () => {
      const c = await createCustomer(api);
      const reader = await createApiKey(t.http, shop.accessToken, { scopes: ['customers:read'] });
      expect((await api.as(reader.secret).get('/customers')).status).toBe(200);
      expect((await getCustomer(c.id, reader.secret)).status).toBe(200);
      expect((await api.as(reader.secret).patch('/customers/{id}', { path: { id: c.id }, body: { first_name: 'X' } })).status).toBe(403);
      const productsOnly = await createApiKey(t.http, shop.accessToken, { scopes: ['products:read'] });
      expect((await api.as(productsOnly.secret).get('/customers')).status).toBe(403);
      const readOnly = await createApiKey(t.http, shop.accessToken, { access: 'read_only' });
      expect((await api.as(readOnly.secret).post('/customers', { body: { email: 'ro@example.test', first_name: 'R', last_name: 'O' } })).status).toBe(403);
      const writer = await createApiKey(t.http, shop.accessToken, { scopes: ['customers:write'] });
      await createCustomer(api.as(writer.secret), {});
      expect((await api.as(undefined).get('/customers')).status).toBe(401);
    });

    it('lets a customer user read only its own customer', async () => {
      const mine = await createCustomer(api);
      const theirs = await createCustomer(api);
      const email = `portal-${Date.now()}@example.test`;
      const user = await api.post('/users', { body: { email, password: 'customer-pass-1', role: 'customer', customer_id: mine.id } });
      expect(user.status).toBe(201);
      const login = await api.as(undefined).post('/auth/login', { body: { email, password: 'customer-pass-1', tenant_id: shop.tenantId } });
      expect(login.status).toBe(200);
      const portal = login.body.data.access_token;
      const own = await getCustomer(mine.id, portal);
      expect(own.status).toBe(200);
      expect(own.body.data.id).toBe(mine.id);
      expect(own.body.data.order_summary.order_count).toBe(0);
      expect((await getCustomer(theirs.id, portal)).status).toBe(404);
      expect((await api.as(portal).get('/customers')).status).toBe(403);
      expect((await api.as(portal).patch('/customers/{id}', { path: { id: mine.id }, body: { first_name: 'Me' } })).status).toBe(403);
      expect((await api.as(portal).post('/customers/{id}/addresses', { path: { id: mine.id }, body: address() })).status).toBe(403);
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
      billing = await signUpShop(t.http, 'Billing caller');
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
      const events = await api.as(billing.accessToken).get('/events', { query: { type: 'customer.created', per_page: 200 } });
      expect(events.body.data.filter((e) => e.data.object.account_ref_id === 'RACE-1')).toHaveLength(1);
      expect(events.body.meta.total).toBe(2);

      // Without a reference it finds by e-mail.
      expect((await service.findOrCreateByEmailAndRef(ctx, 'BUYER@example.test', null)).id).toBe(created.id);
      // The customer is readable through the API, with empty names until someone fills them in.
      const got = await api.as(billing.accessToken).get('/customers/{id}', { path: { id: created.id } });
      expect(got.body.data).toMatchObject({ first_name: '', last_name: '', account_ref_id: 'TWY4k2ZQPp19s8Hd' });
    });

    it('joins the caller\'s transaction: a rollback takes the customer and its event with it', async () => {
      await expect(
        tx.run(ctx, async (txCtx) => {
          await service.findOrCreateByEmailAndRef(txCtx, 'rollback@example.test', 'ROLLBACK-1');
          throw new Error('caller failed');
        }),
      ).rejects.toThrow('caller failed');
      expect((await api.as(billing.accessToken).get('/customers', { query: { account_ref_id: 'ROLLBACK-1' } })).body.meta.total).toBe(0);
      const events = await api.as(billing.accessToken).get('/events', { query: { type: 'customer.created', per_page: 200 } });
      expect(events.body.data.some((e) => e.data.object.account_ref_id === 'ROLLBACK-1')).toBe(false);
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

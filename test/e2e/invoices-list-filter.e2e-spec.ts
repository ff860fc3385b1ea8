import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { createCustomer, customerLogin } from '../support/portal-fixtures';

const FILTERS = ['account_ref_id', 'email', 'customer_id', 'status'];
const RULE = 'one of account_ref_id, email, customer_id or status is required';

/**
 * Seed 003 "Get Invoices": at least one of account_ref_id or email is required. `GET /invoices`
 * answers 400 without one of account_ref_id, email, customer_id or status, except for a principal
 * already confined to one customer (a `customer` user, its client-portal token).
 */
describe('GET /invoices needs a filter (e2e)', () => {
  let t: TestApp;

  interface Shop {
    tenant: TenantFixture;
    key: string;
    customer: { id: string; email: string; ref: string };
    invoiceId: string;
  }

  /** A tenant of its own with one customer (account_ref_id set) and one open invoice of it, in test mode. */
  async function shopWithInvoice(): Promise<Shop> {
    const tenant = await signUpTenant(t.http, 'Invoice filters');
    const key = (await createApiKey(t.http, tenant.accessToken, { mode: 'test' })).secret;
    const ref = `ACC-${randomUUID().slice(0, 8)}`;
    const email = `payer-${randomUUID().slice(0, 8)}@example.test`;
    const customer = await t.http.post('/api/v1/customers', { email, first_name: 'Pay', last_name: 'Er', account_ref_id: ref }, { token: key });
    expect(customer.status).toBe(201);
    const invoice = await t.http.post('/api/v1/invoices', {
      customer_id: customer.body.data.id, currency: 'usd', lines: [{ description: 'Hosting', quantity: 1, unit_amount: 1000 }],
    }, { token: key });
    expect(invoice.status).toBe(201);
    return { tenant, key, customer: { id: customer.body.data.id, email, ref }, invoiceId: invoice.body.data.id };
  }

  const list = (token: string, query: Record<string, string | number> = {}) => t.http.get('/api/v1/invoices', { token, query });

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('without any of account_ref_id, email, customer_id or status → 400 naming the four parameters', async () => {
    const shop = await shopWithInvoice();
    const bare = await list(shop.key);
    expect(bare.status).toBe(400);
    expect(bare.body.error).toMatchObject({
      code: 'invalid_request',
      message: 'Filter the invoices: give at least one of account_ref_id, email, customer_id or status',
      field: 'account_ref_id',
      details: FILTERS.map((field) => ({ field, message: RULE })),
    });
    // Paging, sorting and dates narrow nothing down: still 400.
    const unnarrowed: Record<string, string | number>[] = [{ per_page: 5 }, { page_size: 5, sort: 'total', order: 'asc' }, { date_from: '2020-01-01T00:00:00Z' }, { email: '' }];
    for (const query of unnarrowed) {
      const res = await list(shop.key, query);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code: 'invalid_request' });
    }
    // A staff user (the owner) is held to it as well as an API key.
    expect((await list(shop.tenant.accessToken)).status).toBe(400);
  });

  it('each filter alone is enough, and finds the invoice', async () => {
    const shop = await shopWithInvoice();
    const queries: Record<string, string>[] = [{ account_ref_id: shop.customer.ref }, { email: shop.customer.email }, { customer_id: shop.customer.id }, { status: 'open' }];
    for (const query of queries) {
      const res = await list(shop.key, query);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(res.body.data.map((i: { id: string }) => i.id)).toEqual([shop.invoiceId]);
    }
  });

  it('a customer user and its client-portal token list their own invoices without a filter', async () => {
    const tenant = await signUpTenant(t.http, 'Invoice filters portal');
    const alice = await createCustomer(t.http, tenant, 'Alice');
    const bob = await createCustomer(t.http, tenant, 'Bob');
    const invoiceOf = async (customerId: string) => {
      const res = await t.http.post('/api/v1/invoices', {
        customer_id: customerId, currency: 'usd', lines: [{ description: 'Support', quantity: 1, unit_amount: 2000 }],
      }, { token: tenant.accessToken });
      expect(res.status).toBe(201);
      return res.body.data.id as string;
    };
    const alicesInvoice = await invoiceOf(alice.id);
    await invoiceOf(bob.id);
    const portal = await customerLogin(t.http, tenant, alice.id);
    const minted = await t.http.post('/api/v1/me/api-tokens', { name: 'Portal' }, { token: portal.accessToken });
    expect(minted.status).toBe(201);

    for (const token of [portal.accessToken, minted.body.data.secret as string]) {
      const res = await list(token);
      expect(res.status).toBe(200);
      expect(res.body.data.map((i: { id: string }) => i.id)).toEqual([alicesInvoice]);
    }
    // The owner of the same tenant still needs a filter.
    expect((await list(tenant.accessToken)).status).toBe(400);
    expect((await list(tenant.accessToken, { customer_id: bob.id })).body.data).toHaveLength(1);
  });
});

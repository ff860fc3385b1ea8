import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/** Invoice fields of seed 003 (issue 22 item 4): is_paid, period_start, period_end. */
describe('invoice is_paid and billing period (e2e)', () => {
  let t: TestApp;
  let token: string;
  let customerId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'Period shop');
    token = (await createApiKey(t.http, shop.accessToken)).secret;
    const customer = await t.http.post('/api/v1/customers', { email: `period-${Date.now()}@example.test`, first_name: 'P', last_name: 'S' }, { token });
    customerId = customer.body.data.id;
  });
  afterAll(() => t.close());

  const line = { description: 'Hosting', quantity: 1, unit_amount: 2500 };

  it('records the period given at creation and says whether the invoice is paid', async () => {
    const res = await t.http.post('/api/v1/invoices', {
      customer_id: customerId, currency: 'usd', lines: [line],
      period_start: '2031-01-01T00:00:00Z', period_end: '2031-02-01T00:00:00Z',
    }, { token });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ is_paid: false, period_start: '2031-01-01T00:00:00.000Z', period_end: '2031-02-01T00:00:00.000Z' });

    const free = await t.http.post('/api/v1/invoices', { customer_id: customerId, currency: 'usd', lines: [{ ...line, unit_amount: 0 }] }, { token });
    expect(free.body.data).toMatchObject({ status: 'paid', is_paid: true, period_start: null, period_end: null });
  });

  it('refuses a period that ends before it starts, or half a period', async () => {
    const backwards = await t.http.post('/api/v1/invoices', {
      customer_id: customerId, currency: 'usd', lines: [line], period_start: '2031-02-01T00:00:00Z', period_end: '2031-01-01T00:00:00Z',
    }, { token });
    expect(backwards.status).toBe(422);
    expect(backwards.body.error.field).toBe('period_end');
    const half = await t.http.post('/api/v1/invoices', { customer_id: customerId, currency: 'usd', lines: [line], period_start: '2031-02-01T00:00:00Z' }, { token });
    expect(half.status).toBe(422);
  });
});

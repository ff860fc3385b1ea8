import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

const CARD = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' };

/**
 * Money from decimal-minded clients (issue 22): a seed-style `"amount": 25.00` is the JSON number 25,
 * i.e. 0.25 USD. Below the currency's minimum charge (MINIMUM_CHARGE_MINOR_UNITS, 50 = 0.50 of a
 * 2-decimal currency, scaled by the ISO 4217 exponent) a payment intent is refused with 422
 * `amount_too_small`; an invoice is created but answered with a `Warning: 299` header.
 */
describe('minimum charge: amount_too_small and the Warning header (e2e)', () => {
  let t: TestApp;
  const previous = process.env.MINIMUM_CHARGE_MINOR_UNITS;

  /** A tenant of its own: its test-mode key, a customer and a product. */
  async function shop() {
    const tenant = await signUpTenant(t.http, 'Minimum charge');
    const key = (await createApiKey(t.http, tenant.accessToken, { mode: 'test' })).secret;
    const customer = await t.http.post('/api/v1/customers', { email: `payer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Pay', last_name: 'Er' }, { token: key });
    const product = await t.http.post('/api/v1/products', { name: 'Website development', sku: `WEB-${randomUUID().slice(0, 8)}`, price: 2500 }, { token: key });
    expect([customer.status, product.status]).toEqual([201, 201]);
    return { key, customerId: customer.body.data.id as string, productId: product.body.data.id as string, email: customer.body.data.email as string };
  }

  const intent = (key: string, body: Record<string, unknown>) =>
    t.http.post('/api/v1/payments/intents', { payment_method: 'card', card: CARD, ...body }, { token: key });

  beforeAll(async () => {
    process.env.MINIMUM_CHARGE_MINOR_UNITS = '50'; // the production default; test-env lowers it for every other file
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
    if (previous === undefined) delete process.env.MINIMUM_CHARGE_MINOR_UNITS;
    else process.env.MINIMUM_CHARGE_MINOR_UNITS = previous;
  });

  it('POST /payments/intents below 0.50 USD → 422 amount_too_small in major units, and nothing is created', async () => {
    const { key } = await shop();
    const refused = await intent(key, { amount: 25, currency: 'usd' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({
      code: 'amount_too_small',
      field: 'amount',
      message: 'amount 25 is 0.25 USD, below the minimum charge of 0.50 USD. Amounts are integer minor units: 25.00 USD is 2500',
      details: [{ field: 'amount', message: 'below the minimum charge of 50 (0.50 USD)' }],
    });
    expect((await t.http.get('/api/v1/payments', { token: key })).body.data).toEqual([]);

    const atMinimum = await intent(key, { amount: 50, currency: 'usd' });
    expect(atMinimum.status).toBe(201);
    expect(atMinimum.body.data).toMatchObject({ amount: 50, status: 'succeeded' });
  });

  it('the minimum follows the ISO 4217 exponent: 500 for KWD (3 decimals), 1 for JPY (none)', async () => {
    const { key } = await shop();
    const dinar = await intent(key, { amount: 499, currency: 'kwd' });
    expect(dinar.status).toBe(422);
    expect(dinar.body.error.message).toBe(
      'amount 499 is 0.499 KWD, below the minimum charge of 0.500 KWD. Amounts are integer minor units: 499.000 KWD is 499000',
    );
    expect((await intent(key, { amount: 500, currency: 'kwd' })).status).toBe(201);
    expect((await intent(key, { amount: 1, currency: 'jpy' })).status).toBe(201);
  });

  it('POST /invoices with the seed\'s "amount": 25.00 is created, with a Warning saying it is 0.25 USD', async () => {
    const { key, productId, email } = await shop();
    // The seed's own payload, byte for byte where it matters: JSON cannot tell 25.00 from 25.
    const raw = `{"product_manage_id": "${productId}", "amount": 25.00, "customer_email": "${email}", "currency": "usd", "description": "Website development - Phase 1"}`;
    const created = await t.http.post('/api/v1/invoices', undefined, { token: key, rawBody: raw });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ total: 25, currency: 'usd', status: 'open' });
    expect(created.headers.warning).toBe(
      '299 - "total 25 is 0.25 USD, below the minimum charge of 0.50 USD: amounts are integer minor units, so 25.00 USD is 2500"',
    );
    expect((await t.http.get(`/api/v1/invoices/${created.body.data.id}`, { token: key })).status).toBe(200);

    // Meant as minor units: no warning.
    const meant = await t.http.post('/api/v1/invoices', { product_manage_id: productId, amount: 2500, customer_email: email, currency: 'usd' }, { token: key });
    expect(meant.status).toBe(201);
    expect(meant.headers.warning).toBeUndefined();
  });

  it('a free invoice gets no warning, and a small one can still be paid (what an invoice owes is not a typed amount)', async () => {
    const { key, customerId } = await shop();
    const lines = (amount: number) => ({ customer_id: customerId, currency: 'usd', lines: [{ description: 'Fee', quantity: 1, unit_amount: amount }] });
    const free = await t.http.post('/api/v1/invoices', lines(0), { token: key });
    expect(free.status).toBe(201);
    expect(free.headers.warning).toBeUndefined();

    const small = await t.http.post('/api/v1/invoices', lines(30), { token: key });
    expect(small.headers.warning).toMatch(/^299 - "total 30 is 0\.30 USD, below the minimum charge of 0\.50 USD/);
    const paid = await t.http.post(`/api/v1/invoices/${small.body.data.id}/pay`, { card: CARD }, { token: key });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ status: 'paid', amount_paid: 30 });
  });
});

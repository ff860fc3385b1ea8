import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/app';
import { assertMatchesSpec } from '../support/openapi-validator';
import { ownerDb } from '../support/owner-db';
import { PaymentShop } from '../support/payment-fixtures';
import type { Schemas } from '../support/typed-api';

const card = (number: string) => ({ number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: number.length === 15 ? '1234' : '123' });

/**
 * Issue 17: test mode takes Stripe's test payment methods (`payment_method_id: pm_card_…`) as the
 * sandbox test card each stands for, so an integration written for Stripe.js runs against the
 * sandbox unchanged: same status, failure code, card shown, saving and dispute as the card.
 */
describe("Stripe's test payment methods in test mode (e2e)", () => {
  let t: TestApp;
  let db: DataSource;
  let shop: PaymentShop;

  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
    shop = await new PaymentShop(t.http, db).setUp('Sandbox pm shop');
    await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [shop.tenantId]);
  });
  afterAll(async () => t.close());

  it('pm_card_visa pays an invoice like 4242424242424242: paid, the card shown as visa 4242 and saved for renewals', async () => {
    const invoice = await shop.invoice(4200);
    const res = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_visa' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'paid', amount_paid: 4200, amount_due: 0 });
    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(payment).toMatchObject({ status: 'succeeded', amount_captured: 4200, livemode: false, card: { brand: 'visa', last4: '4242' } });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 4200 }]);
    const saved = await t.http.get(`/api/v1/customers/${shop.customerId}/payment-methods`, { token: shop.key });
    expect(saved.body.data).toEqual([expect.objectContaining({ brand: 'visa', last4: '4242', is_default: true })]);
  });

  it('pm_card_chargeDeclined declines like 4000000000000002: the intent fails with card_declined, an invoice stays open', async () => {
    const intent = await shop.intent({ amount: 1500, payment_method_id: 'pm_card_chargeDeclined' });
    expect(intent.status).toBe(201);
    expect(intent.body.data).toMatchObject({ status: 'failed', failure_code: 'card_declined', amount_captured: 0 });
    assertMatchesSpec('post', '/api/v1/payments/intents', intent);

    const invoice = await shop.invoice(1500);
    const paid = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_chargeDeclined' });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ status: 'open', amount_paid: 0, last_payment_error: expect.objectContaining({ code: 'card_declined' }) });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'failed', amount: 1500 }]);
  });

  it('pm_card_chargeDeclinedInsufficientFunds fails like 4000000000009995, with insufficient_funds', async () => {
    const intent = await shop.intent({ amount: 2100, payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(intent.status).toBe(201);
    expect(intent.body.data).toMatchObject({ status: 'failed', failure_code: 'insufficient_funds', amount_captured: 0 });
  });

  it('pm_card_threeDSecure2Required needs action like 4000002760003184; confirming completes and captures it', async () => {
    const intent = await shop.intent({ amount: 2500, payment_method_id: 'pm_card_threeDSecure2Required' });
    expect(intent.status).toBe(201);
    expect(intent.body.data).toMatchObject({ status: 'requires_action', amount_captured: 0, next_action: { type: 'three_d_secure' } });
    const confirmed = await shop.post(`/api/v1/payments/${intent.body.data.id}/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ status: 'succeeded', amount_captured: 2500 });
  });

  it('an intent waiting for a method is confirmed with a pm_card_… id', async () => {
    const created = await shop.intent({ amount: 1800 });
    expect(created.body.data).toMatchObject({ status: 'requires_payment_method' });
    const confirmed = await shop.post(`/api/v1/payments/${created.body.data.id}/confirm`, { payment_method_id: 'pm_card_threeDSecure2Required' });
    expect(confirmed.body.data).toMatchObject({ status: 'requires_action' });
    const done = await shop.post(`/api/v1/payments/${created.body.data.id}/confirm`, {});
    expect(done.body.data).toMatchObject({ status: 'succeeded', amount_captured: 1800, card: { brand: 'visa', last4: '3184' } });
  });

  it('every test method ends as its test card does: status, failure code and the card shown', async () => {
    const pairs: [string, string][] = [
      ['pm_card_visa', '4242424242424242'], ['pm_card_mastercard', '5555555555554444'], ['pm_card_amex', '378282246310005'],
      ['pm_card_discover', '6011111111111117'], ['pm_card_chargeDeclined', '4000000000000002'],
      ['pm_card_chargeDeclinedInsufficientFunds', '4000000000009995'], ['pm_card_threeDSecure2Required', '4000002760003184'],
      ['pm_card_createDispute', '4000000000000259'], ['pm_card_chargeCustomerFail', '4000000000000341'],
    ];
    const outcome = (body: { data: Schemas['PaymentIntent'] }) => ({
      status: body.data.status, failure_code: body.data.failure_code, brand: body.data.card?.brand, last4: body.data.card?.last4, captured: body.data.amount_captured,
    });
    for (const [method, number] of pairs) {
      const byMethod = await shop.intent({ amount: 1000, payment_method_id: method });
      const byCard = await shop.intent({ amount: 1000, card: card(number) });
      expect([method, byMethod.status, outcome(byMethod.body)]).toEqual([method, byCard.status, outcome(byCard.body)]);
    }
  });

  it('pm_card_createDispute opens a dispute after the capture, like 4000000000000259', async () => {
    const paid = await shop.intent({ amount: 3300, payment_method_id: 'pm_card_createDispute' });
    expect(paid.body.data).toMatchObject({ status: 'succeeded', amount_captured: 3300 });
    const disputes = await t.http.get('/api/v1/payments/disputes', { token: shop.key, query: { payment_id: paid.body.data.id } });
    expect(disputes.body.data).toEqual([expect.objectContaining({ amount: 3300, status: 'needs_response' })]);
  });

  it('pm_card_chargeCustomerFail pays once and is saved, then every charge of the saved method declines (like 4000000000000341)', async () => {
    const first = await shop.invoice(1200);
    expect((await shop.post(`/api/v1/invoices/${first.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_chargeCustomerFail' })).body.data).toMatchObject({ status: 'paid' });
    const second = await shop.invoice(1300);
    const renewal = await shop.post(`/api/v1/invoices/${second.id}/pay`, {}); // empty body: the saved default method
    expect(renewal.status).toBe(200);
    expect(renewal.body.data).toMatchObject({ status: 'open', amount_paid: 0, last_payment_error: expect.objectContaining({ code: 'card_declined' }) });
  });

  it('any other payment_method_id, or one with a card, answers 422 naming payment_method_id and creates nothing', async () => {
    const [before] = await db.query('SELECT count(*)::int AS n FROM payment_intents WHERE tenant_id = $1', [shop.tenantId]);
    for (const body of [
      { amount: 1000, payment_method_id: 'pm_1QxYzAbCdEfGhIjKlMnOpQrS' },
      { amount: 1000, payment_method_id: 'pm_card_unknownBrand' },
      { amount: 1000, payment_method_id: 'pm_card_visa', card: card('4242424242424242') },
    ]) {
      const res = await shop.intent(body);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'payment_method_id' });
    }
    const refused = await shop.intent({ amount: 1000, payment_method_id: 'pm_nope' });
    expect(refused.body.error.message).toMatch(/pm_card_visa/); // says what test mode takes
    const invoice = await shop.invoice(900);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_unknown' })).status).toBe(422);
    const [after] = await db.query('SELECT count(*)::int AS n FROM payment_intents WHERE tenant_id = $1', [shop.tenantId]);
    expect(after.n).toBe(before.n);
  });
});

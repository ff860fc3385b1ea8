import { OK_CARD } from '../support/payment-fixtures';
import { LiveShop, startLiveStripeShop } from '../support/stripe-fixtures';
import type { StripeStandIn } from '../support/stripe-stand-in';
import type { TestApp } from '../support/app';

/**
 * Issue 17: live payments through the Stripe adapter, against a local stand-in for the Stripe API
 * (a real HTTP server the official SDK talks to). Stripe's documented test payment methods behave
 * as in Stripe's test mode.
 */
describe('live payments through Stripe (e2e)', () => {
  let t: TestApp, stripe: StripeStandIn, close: () => Promise<void>, shop: LiveShop;

  beforeAll(async () => {
    ({ t, stripe, close, shop } = await startLiveStripeShop('Stripe live shop'));
  });
  afterAll(() => close());

  it('pays a live invoice with pm_card_visa: authorized then captured at Stripe, each call with a key derived from our ids', async () => {
    const invoice = await shop.invoice(4200);
    const res = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_visa' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'paid', amount_paid: 4200 });
    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(payment).toMatchObject({ status: 'succeeded', amount_captured: 4200, livemode: true });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 4200 }]);

    const pi = stripe.intent(await shop.processorRef(payment.id));
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 4200, capture_method: 'manual', metadata: { cbapi_intent_id: payment.id, cbapi_tenant: shop.tenantId, cbapi_mode: 'live' } });
    const created = stripe.calls('POST', /^\/v1\/payment_intents$/).find((c) => c.params.metadata?.cbapi_intent_id === payment.id)!;
    expect(created.idempotencyKey).toBe(payment.id);
    expect(created.params).toMatchObject({ amount: '4200', currency: 'usd', confirm: 'true', payment_method: 'pm_card_visa' });
    expect(stripe.calls('POST', new RegExp(`^/v1/payment_intents/${pi.id}/capture$`)).map((c) => c.idempotencyKey)).toEqual([`${payment.id}:capture`]);
  });

  it('pm_card_chargeDeclined declines with card_declined: the intent fails, the invoice stays open', async () => {
    const invoice = await shop.invoice(1500);
    const res = await shop.intent({ amount: 1500, invoice_id: invoice.id, payment_method_id: 'pm_card_chargeDeclined' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'failed', failure_code: 'card_declined', amount_captured: 0 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'failed', amount: 1500 }]);
  });

  it('pm_card_threeDSecure2Required needs action; once the payer authenticates, confirm captures it', async () => {
    const res = await shop.intent({ amount: 2500, payment_method_id: 'pm_card_threeDSecure2Required' });
    expect(res.body.data).toMatchObject({ status: 'requires_action', amount_captured: 0 });
    const intentId = res.body.data.id;
    // Not yet authenticated in the browser: confirming leaves it waiting.
    expect((await shop.post(`/api/v1/payments/${intentId}/confirm`, {})).body.data).toMatchObject({ status: 'requires_action' });
    stripe.authenticate(await shop.processorRef(intentId));
    const confirmed = await shop.post(`/api/v1/payments/${intentId}/confirm`, {});
    expect(confirmed.body.data).toMatchObject({ status: 'succeeded', amount_captured: 2500 });
  });

  it('manual capture: authorized at Stripe, captured in part later; a partial refund is sent to Stripe and adds up', async () => {
    const res = await shop.intent({ amount: 9000, capture_method: 'manual', payment_method_id: 'pm_card_mastercard' });
    expect(res.body.data).toMatchObject({ status: 'requires_capture', amount_captured: 0 });
    const intentId = res.body.data.id;
    const ref = await shop.processorRef(intentId);
    expect(stripe.intent(ref)).toMatchObject({ status: 'requires_capture', amount_capturable: 9000 });

    const captured = await shop.post(`/api/v1/payments/${intentId}/capture`, { amount: 7000 });
    expect(captured.body.data).toMatchObject({ status: 'succeeded', amount_captured: 7000 });
    expect(stripe.intent(ref)).toMatchObject({ status: 'succeeded', amount_received: 7000 });

    const first = await shop.post(`/api/v1/payments/${intentId}/refund`, { amount: 2000 });
    expect(first.body.data).toMatchObject({ amount_refunded: 2000 });
    const second = await shop.post(`/api/v1/payments/${intentId}/refund`, { amount: 1000 });
    expect(second.body.data).toMatchObject({ amount_refunded: 3000 });
    const refunds = stripe.calls('POST', /^\/v1\/refunds$/).filter((c) => c.params.payment_intent === ref);
    expect(refunds.map((c) => c.params.amount)).toEqual(['2000', '1000']);
    expect(refunds.map((c) => c.idempotencyKey)).toEqual(second.body.data.refunds.map((r: { id: string }) => r.id));
    expect((await shop.post(`/api/v1/payments/${intentId}/refund`, { amount: 4001 })).status).toBe(409);
  });

  it('zero- and three-decimal currencies: amounts stay our minor units; a KWD amount Stripe cannot carry fails cleanly', async () => {
    const yen = await shop.intent({ amount: 500, currency: 'jpy', payment_method_id: 'pm_card_visa' });
    expect(yen.body.data).toMatchObject({ status: 'succeeded', amount_captured: 500, currency: 'jpy' });
    expect(stripe.intent(await shop.processorRef(yen.body.data.id))).toMatchObject({ amount: 500, currency: 'jpy' });
    const dinar = await shop.intent({ amount: 5120, currency: 'kwd', payment_method_id: 'pm_card_visa' });
    expect(dinar.body.data).toMatchObject({ status: 'succeeded', amount_captured: 5120 });
    const odd = await shop.intent({ amount: 5124, currency: 'kwd', payment_method_id: 'pm_card_visa' });
    expect(odd.body.data).toMatchObject({ status: 'failed', failure_code: 'amount_not_supported' });
  });

  it('an intent created without a method is confirmed later with a pm_… id', async () => {
    const created = await shop.intent({ amount: 1800 });
    expect(created.body.data).toMatchObject({ status: 'requires_payment_method' });
    const confirmed = await shop.post(`/api/v1/payments/${created.body.data.id}/confirm`, { payment_method_id: 'pm_card_amex' });
    expect(confirmed.body.data).toMatchObject({ status: 'succeeded', amount_captured: 1800 });
    const missing = await shop.intent({ amount: 1800 });
    expect((await shop.post(`/api/v1/payments/${missing.body.data.id}/confirm`, {})).status).toBe(422);
  });

  it('a raw card number in live mode answers 422 saying what to send instead; nothing reaches Stripe', async () => {
    const before = stripe.requests.length;
    const res = await shop.intent({ amount: 1000, card: OK_CARD });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_error', field: 'card' });
    expect(res.body.error.message).toMatch(/payment_method_id/);
    expect(stripe.requests.length).toBe(before);
  });
});

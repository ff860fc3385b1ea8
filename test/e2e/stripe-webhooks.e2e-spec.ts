import type { DataSource } from 'typeorm';
import { PaymentReconciliationService } from '../../src/modules/payments/payment-reconciliation.service';
import type { TestApp } from '../support/app';
import { deliverStripeEvent, LiveShop, startLiveStripeShop } from '../support/stripe-fixtures';
import type { StripeStandIn } from '../support/stripe-stand-in';

/**
 * Issue 17: Stripe's events in (`POST /webhooks/stripe`), verified with the SDK and applied once per
 * Stripe event id, and a crash between the Stripe call and our record settled exactly once.
 */
describe('Stripe webhooks and reconciliation (e2e)', () => {
  let t: TestApp, stripe: StripeStandIn, close: () => Promise<void>, db: DataSource, shop: LiveShop;

  const deliver = (event: Record<string, unknown>, secret?: string) => deliverStripeEvent(t, stripe, event, secret);

  beforeAll(async () => {
    ({ t, stripe, close, db, shop } = await startLiveStripeShop('Stripe webhook shop'));
  });
  afterAll(() => close());

  it('a bad or missing Stripe-Signature answers 400 and applies nothing', async () => {
    const event = stripe.event('payment_intent.succeeded', { id: 'pi_unknown', object: 'payment_intent', metadata: {} });
    const forged = await deliver(event, 'whsec_someone_else');
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({ code: 'invalid_request', field: 'Stripe-Signature' });
    const { body } = stripe.signed(event);
    const missing = await t.http.post('/api/v1/webhooks/stripe', undefined, { rawBody: body });
    expect(missing.status).toBe(400);
    const tampered = stripe.signed(event);
    const altered = await t.http.post('/api/v1/webhooks/stripe', undefined, { rawBody: tampered.body.replace('pi_unknown', 'pi_other'), headers: { 'Stripe-Signature': tampered.signature } });
    expect(altered.status).toBe(400);
  });

  it('an event about an object this API did not create is acknowledged and not applied', async () => {
    const foreign = stripe.event('payment_intent.succeeded', { id: 'pi_foreign', object: 'payment_intent', metadata: { order: '42' } });
    expect((await deliver(foreign)).body.data).toEqual({ received: true, event_id: foreign.id, handled: false, duplicate: false });
  });

  it('3-D Secure completed in the browser: the event captures the payment; the same event again is processed once', async () => {
    const invoice = await shop.invoice(3100);
    const created = await shop.intent({ amount: 3100, invoice_id: invoice.id, payment_method_id: 'pm_card_threeDSecure2Required' });
    expect(created.body.data.status).toBe('requires_action');
    const ref = await shop.processorRef(created.body.data.id);
    stripe.authenticate(ref);
    const event = stripe.event('payment_intent.amount_capturable_updated', stripe.intent(ref));

    const first = await deliver(event);
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ received: true, event_id: event.id, handled: true, duplicate: false });
    expect(await shop.get(`/api/v1/payments/${created.body.data.id}`)).toMatchObject({ status: 'succeeded', amount_captured: 3100 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 3100 });

    const again = await deliver(event);
    expect(again.body.data).toMatchObject({ handled: true, duplicate: true });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 3100 }]);
    expect(stripe.calls('POST', new RegExp(`^/v1/payment_intents/${ref}/capture$`))).toHaveLength(1);
    const [events] = await db.query(
      `SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'invoice.paid' AND data::text LIKE $2`, [shop.tenantId, `%${invoice.id}%`],
    );
    expect(events.n).toBe(1);
  });

  it('payment_intent.payment_failed after a failed 3-D Secure challenge fails the payment; the invoice stays open', async () => {
    const invoice = await shop.invoice(2900);
    const created = await shop.intent({ amount: 2900, invoice_id: invoice.id, payment_method_id: 'pm_card_threeDSecure2Required' });
    const ref = await shop.processorRef(created.body.data.id);
    stripe.failAuthentication(ref);
    expect((await deliver(stripe.event('payment_intent.payment_failed', stripe.intent(ref)))).body.data).toMatchObject({ handled: true });
    expect(await shop.get(`/api/v1/payments/${created.body.data.id}`)).toMatchObject({ status: 'failed', failure_code: 'payment_intent_authentication_failure' });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'failed', amount: 2900 }]);
  });

  it('a dispute opened and then won at Stripe: held against the payment, then given back', async () => {
    const paid = await shop.intent({ amount: 5000, payment_method_id: 'pm_card_createDispute' });
    const ref = await shop.processorRef(paid.body.data.id);
    const dispute = stripe.dispute(ref, 'fraudulent');
    const opened = stripe.event('charge.dispute.created', dispute);
    expect((await deliver(opened)).body.data).toMatchObject({ handled: true, duplicate: false });
    expect((await deliver(stripe.event('charge.dispute.created', dispute))).body.data).toMatchObject({ handled: true, duplicate: false });
    const listed = await t.http.get('/api/v1/payments/disputes', { token: shop.key, query: { payment_id: paid.body.data.id } });
    expect(listed.body.data).toEqual([expect.objectContaining({ amount: 5000, reason: 'fraudulent', status: 'needs_response' })]);
    // A refund of disputed money is refused.
    expect((await shop.post(`/api/v1/payments/${paid.body.data.id}/refund`, {})).status).toBe(409);

    stripe.closeDispute(dispute.id, 'won');
    expect((await deliver(stripe.event('charge.dispute.closed', dispute))).body.data).toMatchObject({ handled: true });
    const closed = await t.http.get('/api/v1/payments/disputes', { token: shop.key, query: { payment_id: paid.body.data.id } });
    expect(closed.body.data).toEqual([expect.objectContaining({ status: 'won' })]);
    const rows: { type: string; amount: number }[] = await db.query(
      'SELECT type, amount::int AS amount FROM transactions WHERE tenant_id = $1 AND intent_id = $2 ORDER BY created_at, id', [shop.tenantId, paid.body.data.id],
    );
    expect(rows.map((r) => [r.type, r.amount])).toEqual([['charge', 5000], ['dispute', -5000], ['dispute_reversal', 5000]]);
  });

  it('charge.refunded for a refund made in the Stripe Dashboard records it once', async () => {
    const paid = await shop.intent({ amount: 8000, payment_method_id: 'pm_card_visa' });
    const ref = await shop.processorRef(paid.body.data.id);
    stripe.refundInDashboard(ref, 2500);
    const event = stripe.event('charge.refunded', stripe.charge(ref));
    expect((await deliver(event)).body.data).toMatchObject({ handled: true });
    expect((await deliver(stripe.event('charge.refunded', stripe.charge(ref)))).body.data).toMatchObject({ handled: true, duplicate: false });
    expect(await shop.get(`/api/v1/payments/${paid.body.data.id}`)).toMatchObject({ amount_refunded: 2500, refunds: [expect.objectContaining({ amount: 2500, status: 'succeeded' })] });
  });

  it('an answer lost after Stripe captured: the payment stays processing, the reconciliation job asks Stripe and records it exactly once', async () => {
    const invoice = await shop.invoice(6600);
    stripe.loseAnswers(/^POST \/v1\/payment_intents\/[^/]+\/capture$/, 3); // the SDK's two retries lose theirs too
    const res = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_visa' });
    expect(res.status).toBe(200);
    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(payment).toMatchObject({ status: 'processing', amount_captured: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'pending', amount: 6600 }]);
    const [pi] = [...stripe.intents.values()].filter((p) => p.metadata.cbapi_intent_id === payment.id);
    expect(pi).toMatchObject({ status: 'succeeded', amount_received: 6600 }); // the money moved

    const reconciliation = t.app.get(PaymentReconciliationService);
    expect(await reconciliation.reconcile(0, shop.tenantId)).toEqual({ settled: 1, unchanged: 0, failed: 0 });
    expect(await shop.get(`/api/v1/payments/${payment.id}`)).toMatchObject({ status: 'succeeded', amount_captured: 6600 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 6600 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 6600 }]);
    expect(await reconciliation.reconcile(0, shop.tenantId)).toEqual({ settled: 0, unchanged: 0, failed: 0 });
    // Every capture attempt carried the same key: Stripe captured once.
    const captures = stripe.calls('POST', new RegExp(`^/v1/payment_intents/${pi.id}/capture$`));
    expect(new Set(captures.map((c) => c.idempotencyKey))).toEqual(new Set([`${payment.id}:capture`]));
    // Stripe's own event arriving late changes nothing either.
    expect((await deliver(stripe.event('payment_intent.succeeded', pi))).body.data).toMatchObject({ handled: true });
    expect(await shop.ledgerOf(invoice.id)).toHaveLength(1);
  });
});

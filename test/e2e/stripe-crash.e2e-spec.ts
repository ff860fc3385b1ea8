import type { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startApiProcess, type ServiceProcess } from '../support/child-processes';
import { ownerDb } from '../support/owner-db';
import { LiveShop, startLiveStripeApp } from '../support/stripe-fixtures';
import type { StripeStandIn } from '../support/stripe-stand-in';
import { waitFor } from '../support/wait';

/**
 * Issue 17's crash test for real: the API paying a live invoice runs as its own OS process and is
 * SIGKILLed while Stripe (the stand-in, which carried the call out and holds its answer back) has
 * already moved the money and our second transaction has not run. A restarted process heals it —
 * through Stripe's redelivered event, or through the reconciliation job asking Stripe by our
 * idempotency keys — and the money moves exactly once: one PaymentIntent at Stripe charged once,
 * one succeeded payment, the invoice paid once.
 */
describe('a live Stripe payment survives the API being killed mid-charge (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStandIn;
  let close: () => Promise<void>;
  let db: DataSource;
  const children: ServiceProcess[] = [];

  /** An API process on this test's database and Redis, with Stripe played by the stand-in. */
  async function api(name: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const child = await startApiProcess(name, { ...stripe.env(), QUEUE_PREFIX: `cbapistripecrash${process.pid}${name}`, ...env });
    children.push(child);
    return child;
  }

  /** POSTs to a child process; the error when the process dies under the request. */
  function post(child: ServiceProcess, path: string, key: string, body: unknown, idempotencyKey?: string) {
    return fetch(`${child.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      body: JSON.stringify(body),
    }).catch((err: Error) => err);
  }

  /** The PaymentIntent Stripe created for our payment (our metadata on it). */
  function stripeIntentOf(paymentId: string) {
    const [pi, ...more] = [...stripe.intents.values()].filter((p) => p.metadata.cbapi_intent_id === paymentId);
    if (!pi || more.length > 0) throw new Error(`expected one PaymentIntent for ${paymentId}, found ${more.length + (pi ? 1 : 0)}`);
    return pi;
  }

  /** Everything that shows how often the invoice was paid: our records and Stripe's. */
  async function moneyOf(shop: LiveShop, invoiceId: string) {
    const payments = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoiceId } })).body.data as { id: string; status: string; amount_captured: number }[];
    const ids = new Set<string | undefined>(payments.map((p) => p.id));
    const atStripe = [...stripe.intents.values()].filter((pi) => ids.has(pi.metadata.cbapi_intent_id));
    const [paidEvents] = await db.query(
      `SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'invoice.paid' AND data::text LIKE $2`, [shop.tenantId, `%${invoiceId}%`],
    );
    return {
      payments: payments.map((p) => ({ status: p.status, amount_captured: p.amount_captured })),
      invoice: await shop.get(`/api/v1/invoices/${invoiceId}`),
      ledger: await shop.ledgerOf(invoiceId),
      invoicePaidEvents: paidEvents.n as number,
      stripeIntents: atStripe.map((pi) => ({ status: pi.status, amount_received: pi.amount_received })),
      stripeCreates: stripe.calls('POST', /^\/v1\/payment_intents$/).filter((c) => ids.has(c.params.metadata?.cbapi_intent_id)).map((c) => c.idempotencyKey),
      stripeCaptures: stripe.calls('POST', /^\/v1\/payment_intents\/[^/]+\/capture$/).filter((c) => atStripe.some((pi) => c.path.includes(pi.id))).map((c) => c.idempotencyKey),
    };
  }

  beforeAll(async () => {
    ({ t, stripe, close } = await startLiveStripeApp());
    db = await ownerDb(); // raw SQL on tenant tables: the owner, not the app's runtime role (RLS)
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill('SIGKILL');
  });
  afterAll(async () => close());

  it('killed after Stripe captured, before our record: Stripe\'s redelivered event heals it in the restarted API, once', async () => {
    const shop = await new LiveShop(t.http, db).setUp('Stripe crash after capture');
    const invoice = await shop.invoice(7300);
    const first = await api('first');

    const captured = stripe.holdAnswer(/^POST \/v1\/payment_intents\/[^/]+\/capture$/);
    const request = post(first, `/api/v1/invoices/${invoice.id}/pay`, shop.key, { payment_method: 'card', payment_method_id: 'pm_card_visa' }, `crash-${invoice.id}`);
    const capture = await captured;
    await first.kill('SIGKILL'); // Stripe has moved the money; its answer never reached us
    expect(await request).toMatchObject({ message: expect.stringMatching(/fetch failed/) });

    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(capture.idempotencyKey).toBe(`${payment.id}:capture`);
    expect(await moneyOf(shop, invoice.id)).toMatchObject({
      payments: [{ status: 'processing', amount_captured: 0 }],
      invoice: { status: 'open', amount_paid: 0 },
      ledger: [{ type: 'charge', status: 'pending', amount: 7300 }],
      invoicePaidEvents: 0,
      stripeIntents: [{ status: 'succeeded', amount_received: 7300 }],
    });

    // Stripe retries the event the dead process never acknowledged; the restarted API records it.
    const restarted = await api('restarted');
    const pi = stripeIntentOf(payment.id); // our record does not know its id yet: the capture's answer was lost with it
    const { body, signature } = stripe.signed(stripe.event('payment_intent.succeeded', pi));
    const delivery = await fetch(`${restarted.url}/api/v1/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
    expect(delivery.status).toBe(200);
    expect(((await delivery.json()) as { data: unknown }).data).toMatchObject({ handled: true, duplicate: false });

    const healed = {
      payments: [{ status: 'succeeded', amount_captured: 7300 }],
      invoice: { status: 'paid', amount_paid: 7300, amount_due: 0 },
      ledger: [{ type: 'charge', status: 'completed', amount: 7300 }],
      invoicePaidEvents: 1,
      stripeIntents: [{ status: 'succeeded', amount_received: 7300 }],
      stripeCreates: [payment.id],
      stripeCaptures: [`${payment.id}:capture`],
    };
    expect(await moneyOf(shop, invoice.id)).toMatchObject(healed);

    // The payer's retry with the same Idempotency-Key, a fresh attempt and a late duplicate of the event move nothing.
    const retry = await post(restarted, `/api/v1/invoices/${invoice.id}/pay`, shop.key, { payment_method: 'card', payment_method_id: 'pm_card_visa' }, `crash-${invoice.id}`);
    expect((retry as Response).status).toBe(409); // the dead request's claim still runs its lease
    const fresh = await post(restarted, `/api/v1/invoices/${invoice.id}/pay`, shop.key, { payment_method: 'card', payment_method_id: 'pm_card_visa' }, `again-${invoice.id}`);
    expect((fresh as Response).status).toBe(409); // paid already
    const late = await fetch(`${restarted.url}/api/v1/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });
    expect(((await late.json()) as { data: unknown }).data).toMatchObject({ handled: true, duplicate: true });
    expect(await moneyOf(shop, invoice.id)).toMatchObject(healed);
  }, 180_000);

  it('killed after Stripe authorized, before our record: the restarted process\'s reconciliation job finds it by our key and captures once', async () => {
    const shop = await new LiveShop(t.http, db).setUp('Stripe crash after authorization');
    const invoice = await shop.invoice(5400);
    const first = await api('first');

    const created = stripe.holdAnswer(/^POST \/v1\/payment_intents$/);
    const request = post(first, `/api/v1/invoices/${invoice.id}/pay`, shop.key, { payment_method: 'card', payment_method_id: 'pm_card_visa' });
    const creation = await created;
    await first.kill('SIGKILL'); // the card is authorized at Stripe; we never learnt the PaymentIntent's id
    expect(await request).toMatchObject({ message: expect.stringMatching(/fetch failed/) });

    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(creation.idempotencyKey).toBe(payment.id);
    expect(await shop.processorRef(payment.id)).toBeNull();
    expect(await moneyOf(shop, invoice.id)).toMatchObject({
      payments: [{ status: 'processing', amount_captured: 0 }],
      invoice: { status: 'open', amount_paid: 0 },
      stripeIntents: [{ status: 'requires_capture', amount_received: 0 }],
      stripeCaptures: [],
    });

    // Restarted as `npm start` runs it (the worker in the API process): its first `payments:reconcile` run heals it.
    await api('restarted', { WORKER_IN_PROCESS: 'true', PAYMENT_RECONCILE_AFTER_SECONDS: '1' });
    await waitFor('the reconciliation job to settle the payment', async () => (await shop.get(`/api/v1/payments/${payment.id}`)).status === 'succeeded', 90_000);

    expect(await moneyOf(shop, invoice.id)).toMatchObject({
      payments: [{ status: 'succeeded', amount_captured: 5400 }],
      invoice: { status: 'paid', amount_paid: 5400, amount_due: 0 },
      ledger: [{ type: 'charge', status: 'completed', amount: 5400 }],
      invoicePaidEvents: 1,
      stripeIntents: [{ status: 'succeeded', amount_received: 5400 }],
      stripeCreates: [payment.id],
      stripeCaptures: [`${payment.id}:capture`],
    });
    expect(await shop.processorRef(payment.id)).toBe(stripeIntentOf(payment.id).id);
  }, 180_000);
});

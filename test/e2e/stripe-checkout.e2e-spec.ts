import request from 'supertest';
import type { TestApp } from '../support/app';
import { assertMatchesSpec } from '../support/openapi-validator';
import { deliverStripeEvent, LiveShop, startLiveStripeShop } from '../support/stripe-fixtures';
import type { StripeStandIn } from '../support/stripe-stand-in';

/**
 * Issue 17 item 2: in live mode the hosted invoice page hands the payer to a Stripe Checkout
 * Session, and the invoice is paid from Stripe's confirmed event, never from the redirect alone.
 */
describe('hosted invoice page through Stripe Checkout (e2e)', () => {
  let t: TestApp, stripe: StripeStandIn, close: () => Promise<void>, shop: LiveShop;

  async function raw(method: 'GET' | 'POST', path: string) {
    const server = t.app.getHttpServer();
    const res = method === 'GET' ? await request(server).get(path) : await request(server).post(path).type('form').send({});
    assertMatchesSpec(method, path, res);
    return res;
  }
  const deliver = (event: Record<string, unknown>) => deliverStripeEvent(t, stripe, event);

  beforeAll(async () => {
    ({ t, stripe, close, shop } = await startLiveStripeShop('Stripe checkout shop'));
  });
  afterAll(() => close());

  it('the page shows no card fields; paying redirects to Checkout; the redirect back proves nothing; the confirmed event pays the invoice once', async () => {
    const invoice = await shop.get(`/api/v1/invoices/${(await shop.invoice(7700)).id}`);
    const path = new URL(invoice.hosted_invoice_url).pathname;
    const page = await raw('GET', path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="pay-form"');
    expect(page.text).not.toContain('name="number"');

    const pay = await raw('POST', path);
    expect(pay.status).toBe(303);
    expect(pay.headers.location).toMatch(new RegExp(`^${stripe.base}/c/pay/cs_test_`));
    const sessionId = pay.headers.location.split('/').pop()!;
    const created = stripe.calls('POST', /^\/v1\/checkout\/sessions$/).at(-1)!;
    expect(created.params).toMatchObject({
      mode: 'payment', client_reference_id: invoice.id, success_url: `${invoice.hosted_invoice_url}?checkout=complete`,
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '7700' } }], metadata: { cbapi_invoice_id: invoice.id, cbapi_mode: 'live' },
      payment_intent_data: { setup_future_usage: 'off_session' },
    });
    expect(created.idempotencyKey).toMatch(new RegExp(`^checkout:${invoice.id}:`));

    // The payer comes back before Stripe's event: the invoice is still open.
    const back = await raw('GET', `${path}?checkout=complete`);
    expect(back.text).toContain('being confirmed');
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 0 });

    const session = stripe.completeCheckout(sessionId, 'pm_card_visa');
    const event = stripe.event('checkout.session.completed', session);
    expect((await deliver(event)).body.data).toMatchObject({ handled: true, duplicate: false });
    expect((await deliver(event)).body.data).toMatchObject({ duplicate: true });
    expect((await deliver(stripe.event('checkout.session.completed', session))).body.data).toMatchObject({ handled: true, duplicate: false });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 7700 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 7700 }]);
    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(payment).toMatchObject({ status: 'succeeded', payment_method: 'card', card: { brand: 'visa', last4: '4242' } });
    expect((await t.http.get(`/api/v1/customers/${shop.customerId}/payment-methods`, { token: shop.key })).body.data).toHaveLength(1);
    expect((await raw('GET', path)).text).toContain('This invoice is paid');
  });
});

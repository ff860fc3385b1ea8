import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RenewalsService } from '../../src/modules/subscriptions/renewals.service';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { ownerDb } from '../support/owner-db';
import { LiveShop, startLiveStripeApp } from '../support/stripe-fixtures';
import type { StripeStandIn } from '../support/stripe-stand-in';

/**
 * Issue 17 item 4: the Stripe payment method that paid a live service's first invoice is kept on
 * the customer's Stripe Customer; renewals charge it off-session, and a failed one enters dunning.
 */
describe('live renewals charged off-session through Stripe (e2e)', () => {
  let t: TestApp;
  let stripe: StripeStandIn;
  let close: () => Promise<void>;
  let db: DataSource;
  let clock: Clock;
  let renewals: RenewalsService;
  let shop: LiveShop;
  let productId: string;

  async function newCustomer(): Promise<string> {
    const res = await shop.post('/api/v1/customers', { email: `renew-${randomUUID()}@example.test`, first_name: 'Re', last_name: 'New' });
    return res.body.data.id;
  }

  async function service(customerId: string): Promise<{ id: string; latest_invoice_id: string }> {
    const created = await shop.post('/api/v1/services', { customer_id: customerId, product_id: productId, tier: 'basic' });
    expect(created.status).toBe(201);
    return created.body.data;
  }

  beforeAll(async () => {
    ({ t, stripe, close } = await startLiveStripeApp());
    db = await ownerDb();
    clock = t.app.get(Clock);
    renewals = t.app.get(RenewalsService);
    clock.set(new Date('2026-04-01T00:00:00Z'));
    shop = await new LiveShop(t.http, db).setUp('Stripe renewals shop');
    const product = await shop.post('/api/v1/products', { name: 'Cloud', sku: `CL-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: `cl-${randomUUID().slice(0, 8)}` });
    productId = product.body.data.id;
    expect((await shop.post(`/api/v1/products/${productId}/tiers`, { label_name: 'basic', name: 'Basic', price: 3000, billing_cycle: 'monthly' })).status).toBe(201);
  });
  afterAll(async () => close());

  it('pm_card_visa pays the first invoice and is saved; the renewal charges it off-session; the method can be listed and removed', async () => {
    clock.set(new Date('2026-04-01T00:00:00Z'));
    const customerId = await newCustomer();
    const svc = await service(customerId);
    const first = await shop.post(`/api/v1/invoices/${svc.latest_invoice_id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_visa' });
    expect(first.body.data).toMatchObject({ status: 'paid' });
    const methods = await t.http.get(`/api/v1/customers/${customerId}/payment-methods`, { token: shop.key });
    expect(methods.body.data).toEqual([expect.objectContaining({ customer_id: customerId, brand: 'visa', last4: '4242', is_default: true, livemode: true })]);
    const firstCall = stripe.calls('POST', /^\/v1\/payment_intents$/).at(-1)!;
    expect(firstCall.params).toMatchObject({ setup_future_usage: 'off_session', customer: expect.stringMatching(/^cus_/) });

    clock.set(new Date('2026-05-01T00:00:01Z'));
    expect(await renewals.renewDue(undefined, shop.tenantId)).toMatchObject({ renewed: 1, charged: 1, failed: 0 });
    const renewed = await shop.get(`/api/v1/services/${svc.id}`);
    expect(renewed).toMatchObject({ status: 'active', current_period_end: '2026-06-01T00:00:00.000Z' });
    expect(await shop.get(`/api/v1/invoices/${renewed.latest_invoice_id}`)).toMatchObject({ status: 'paid', amount_paid: 3000 });
    const offSession = stripe.calls('POST', /^\/v1\/payment_intents$/).at(-1)!;
    expect(offSession.params).toMatchObject({ off_session: 'true', confirm: 'true', customer: firstCall.params.customer, amount: '3000' });
    expect(offSession.params.payment_method).toMatch(/^pm_/);
    expect(offSession.params.payment_method).not.toBe('pm_card_visa'); // the concrete method Stripe attached, not the test token

    const removed = await t.http.delete(`/api/v1/customers/${customerId}/payment-methods/${methods.body.data[0].id}`, { token: shop.key });
    expect(removed.status).toBe(204);
    expect(stripe.calls('POST', new RegExp(`^/v1/payment_methods/${offSession.params.payment_method}/detach$`))).toHaveLength(1);
    expect((await t.http.get(`/api/v1/customers/${customerId}/payment-methods`, { token: shop.key })).body.data).toEqual([]);
    expect((await t.http.delete(`/api/v1/customers/${customerId}/payment-methods/${methods.body.data[0].id}`, { token: shop.key })).status).toBe(404);
  });

  it('a card that needs 3-D Secure on every charge: saved after the payer authenticates, its off-session renewal fails and the service enters dunning', async () => {
    clock.set(new Date('2026-07-01T00:00:00Z'));
    const customerId = await newCustomer();
    const svc = await service(customerId);
    const first = await shop.post(`/api/v1/invoices/${svc.latest_invoice_id}/pay`, { payment_method: 'card', payment_method_id: 'pm_card_threeDSecure2Required' });
    const [attempt] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: svc.latest_invoice_id } })).body.data;
    expect(first.status).toBe(200);
    expect(attempt.status).toBe('requires_action');
    stripe.authenticate(await shop.processorRef(attempt.id));
    expect((await shop.post(`/api/v1/payments/${attempt.id}/confirm`, {})).body.data).toMatchObject({ status: 'succeeded' });
    expect(await shop.get(`/api/v1/invoices/${svc.latest_invoice_id}`)).toMatchObject({ status: 'paid' });
    expect((await t.http.get(`/api/v1/customers/${customerId}/payment-methods`, { token: shop.key })).body.data).toHaveLength(1);

    clock.set(new Date('2026-08-01T00:00:01Z'));
    await renewals.renewDue(undefined, shop.tenantId); // the first test's service (its card removed) renews alongside
    const pastDue = await shop.get(`/api/v1/services/${svc.id}`);
    expect(pastDue).toMatchObject({ status: 'past_due', past_due_since: '2026-08-01T00:00:01.000Z', next_retry_at: '2026-08-02T00:00:01.000Z' });
    expect(await shop.get(`/api/v1/invoices/${pastDue.latest_invoice_id}`)).toMatchObject({
      status: 'open', amount_paid: 0, last_payment_error: { code: 'authentication_required' },
    });
  });
});

import type { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { createApiKey, signUpTenant } from '../support/factories';
import { OK_CARD, PaymentShop, statusCounts } from '../support/payment-fixtures';
import { LiveShop } from '../support/stripe-fixtures';

/** Issue 17 item 5: payments received outside the card flow, recorded by staff (`POST /invoices/{id}/payments`). */
describe('offline invoice payments (e2e)', () => {
  let t: TestApp, db: DataSource;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  it('partial bank transfer and cash payments add up to paid, each with a ledger row; more than is due → 409', async () => {
    const shop = await new PaymentShop(t.http, db).setUp('Offline pay shop');
    const invoice = await shop.invoice(10000);
    const first = await shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 6000, method: 'bank_transfer', reference: 'SEPA-42', paid_at: '2026-11-30T10:00:00.000Z' });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      status: 'succeeded', payment_method: 'bank_transfer', amount_captured: 6000, invoice_id: invoice.id, reference: 'SEPA-42', paid_at: '2026-11-30T10:00:00.000Z', card: null,
    });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 6000, amount_due: 4000 });

    expect((await shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 4001, method: 'cash' })).status).toBe(409);
    const second = await shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 4000, method: 'cash' });
    expect(second.status).toBe(201);
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 10000, amount_due: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([
      { type: 'charge', status: 'completed', amount: 6000 },
      { type: 'charge', status: 'completed', amount: 4000 },
    ]);
    const [paidEvents] = await db.query(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'invoice.paid' AND data::text LIKE $2`, [shop.tenantId, `%${invoice.id}%`]);
    expect(paidEvents.n).toBe(1);
    // Paid in full: a card payment is refused now.
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(409);
  });

  it('concurrent full-amount payments of one invoice: exactly one succeeds, the others 409, and it is paid once', async () => {
    const shop = await new PaymentShop(t.http, db).setUp('Offline race shop');
    const invoice = await shop.invoice(7500);
    const pay = () => shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 7500, method: 'bank_transfer' });
    const responses = await Promise.all(Array.from({ length: 8 }, pay));
    expect(statusCounts(responses)).toEqual({ 201: 1, 409: 7 });
    for (const refused of responses.filter((r) => r.status === 409)) expect(refused.body.error.code).toBe('conflict');
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 7500, amount_due: 0 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 7500 }]);
  });

  it('refunds of offline payments are recorded, never sent to a processor', async () => {
    const shop = await new PaymentShop(t.http, db).setUp('Offline refund shop');
    const invoice = await shop.invoice(5000);
    const paid = await shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 5000, method: 'cheque', reference: 'CHQ 000123' });
    const refunded = await shop.post(`/api/v1/payments/${paid.body.data.id}/refund`, { amount: 1500 });
    expect(refunded.status).toBe(200);
    expect(refunded.body.data).toMatchObject({ amount_refunded: 1500, refunds: [expect.objectContaining({ amount: 1500, status: 'succeeded' })] });
    const invoiceRefund = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 500 });
    expect(invoiceRefund.body.data).toMatchObject({ amount_refunded: 2000 });
    const [calls] = await db.query(`SELECT count(*)::int AS n FROM sandbox_processor_calls WHERE tenant_id = $1`, [shop.tenantId]);
    expect(calls.n).toBe(0);
  });

  it('works in live mode without any card processor; a bad method or a future paid_at → 422, another tenant’s invoice → 404', async () => {
    const shop = await new LiveShop(t.http, db).setUp('Offline live shop');
    const invoice = await shop.invoice(2000);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/payments`, { amount: 2000, method: 'other', reference: 'receipt 7' })).body.data)
      .toMatchObject({ status: 'succeeded', livemode: true, payment_method: 'other' });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid' });
    const other = await shop.invoice(1000);
    expect((await shop.post(`/api/v1/invoices/${other.id}/payments`, { amount: 100, method: 'crypto' })).status).toBe(422);
    expect((await shop.post(`/api/v1/invoices/${other.id}/payments`, { amount: 100, method: 'cash', paid_at: '2099-01-01T00:00:00.000Z' })).status).toBe(422);
    const stranger = await signUpTenant(t.http, 'Offline stranger');
    const strangerKey = (await createApiKey(t.http, stranger.accessToken, { mode: 'live' })).secret;
    expect((await t.http.post(`/api/v1/invoices/${other.id}/payments`, { amount: 100, method: 'cash' }, { token: strangerKey })).status).toBe(404);
  });
});

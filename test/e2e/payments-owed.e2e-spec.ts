import { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop, statusCounts } from '../support/payment-fixtures';

/**
 * Payments never exceed what is owed: the target (invoice or order) is locked while captured,
 * authorized and processing money is counted against its total, at creation, confirmation and
 * capture. Attacks from issue 10: two card-less intents confirmed, capture after void/cancel, and
 * a burst of parallel full-amount payments.
 */
describe('payments never exceed what is owed (e2e)', () => {
  let t: TestApp, db: DataSource, shop: PaymentShop;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    shop = await new PaymentShop(t.http, db).setUp('Owed shop');
  });
  afterAll(() => t.close());

  it.each(['invoice', 'order'] as const)('two card-less intents for one %s, both confirmed with 4242: the second answers 409 and nothing is overpaid', async (kind) => {
    const target = kind === 'invoice' ? await shop.invoice(10000) : await shop.order(2);
    const field = kind === 'invoice' ? 'invoice_id' : 'order_id';
    const first = await shop.intent({ amount: target.total, [field]: target.id });
    const second = await shop.intent({ amount: target.total, [field]: target.id });
    expect(first.status).toBe(201);
    expect([201, 409]).toContain(second.status);

    const confirmFirst = await shop.post(`/api/v1/payments/${first.body.data.id}/confirm`, { card: OK_CARD });
    expect(confirmFirst.status).toBe(200);
    expect(confirmFirst.body.data.status).toBe('succeeded');
    if (second.status === 201) {
      const confirmSecond = await shop.post(`/api/v1/payments/${second.body.data.id}/confirm`, { card: OK_CARD });
      expect(confirmSecond.status).toBe(409);
      expect(confirmSecond.body.error.code).toBe('conflict');
      expect((await shop.get(`/api/v1/payments/${second.body.data.id}`)).amount_captured).toBe(0);
    }
    const paid = await shop.get(`/api/v1/${kind}s/${target.id}`);
    expect(paid.amount_paid).toBe(target.total);
    expect((await shop.ledgerOf(target.id)).filter((r) => r.type === 'charge' && r.status === 'completed')).toHaveLength(1);
  });

  it('a second full-amount intent with a card while the first is only authorized (manual capture) → 409', async () => {
    const invoice = await shop.invoice(4000);
    const held = await shop.intent({ amount: 4000, invoice_id: invoice.id, card: OK_CARD, capture_method: 'manual' });
    expect(held.status).toBe(201);
    expect(held.body.data.status).toBe('requires_capture');
    const again = await shop.intent({ amount: 4000, invoice_id: invoice.id, card: OK_CARD });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('amount');
    // Part of what is left is still fine once the hold is smaller than the total.
    const order = await shop.order(4); // 10000
    expect((await shop.intent({ amount: 6000, order_id: order.id, card: OK_CARD, capture_method: 'manual' })).status).toBe(201);
    expect((await shop.intent({ amount: 4001, order_id: order.id, card: OK_CARD })).status).toBe(409);
    expect((await shop.intent({ amount: 4000, order_id: order.id, card: OK_CARD })).status).toBe(201);
  });

  it('an authorization cannot be captured after its invoice was voided (409, nothing captured)', async () => {
    const invoice = await shop.invoice(3000);
    const held = await shop.intent({ amount: 3000, invoice_id: invoice.id, card: OK_CARD, capture_method: 'manual' });
    expect(held.body.data.status).toBe('requires_capture');
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/void`)).status).toBe(200);
    const capture = await shop.post(`/api/v1/payments/${held.body.data.id}/capture`, {});
    expect(capture.status).toBe(409);
    expect(capture.body.error.code).toBe('conflict');
    expect(await shop.get(`/api/v1/payments/${held.body.data.id}`)).toMatchObject({ status: 'requires_capture', amount_captured: 0 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'void', amount_paid: 0 });
    expect((await shop.ledgerOf(invoice.id)).filter((r) => r.status === 'completed')).toEqual([]);
  });

  it('an authorization cannot be captured after its order was cancelled (409, nothing captured)', async () => {
    const order = await shop.order(1);
    const held = await shop.intent({ amount: order.total, order_id: order.id, card: OK_CARD, capture_method: 'manual' });
    expect(held.body.data.status).toBe('requires_capture');
    expect((await shop.post(`/api/v1/orders/${order.id}/cancel`, { reason: 'customer_request' })).status).toBe(200);
    const capture = await shop.post(`/api/v1/payments/${held.body.data.id}/capture`, {});
    expect(capture.status).toBe(409);
    expect(await shop.get(`/api/v1/payments/${held.body.data.id}`)).toMatchObject({ amount_captured: 0 });
    expect(await shop.get(`/api/v1/orders/${order.id}`)).toMatchObject({ status: 'cancelled', amount_paid: 0 });
  });

  it('a card-less intent cannot be confirmed after its invoice was voided (409)', async () => {
    const invoice = await shop.invoice(2000);
    const waiting = await shop.intent({ amount: 2000, invoice_id: invoice.id });
    expect(waiting.body.data.status).toBe('requires_payment_method');
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/void`)).status).toBe(200);
    expect((await shop.post(`/api/v1/payments/${waiting.body.data.id}/confirm`, { card: OK_CARD })).status).toBe(409);
    expect((await shop.ledgerOf(invoice.id)).filter((r) => r.status === 'completed')).toEqual([]);
  });

  it.each(['invoice', 'order'] as const)('20 parallel full-amount payments on one %s: exactly one succeeds, 19 × 409, no 5xx, one charge', async (kind) => {
    const target = kind === 'invoice' ? await shop.invoice(7000) : await shop.order(3);
    const field = kind === 'invoice' ? 'invoice_id' : 'order_id';
    const responses = await Promise.all(Array.from({ length: 20 }, () => shop.intent({ amount: target.total, [field]: target.id, card: OK_CARD })));
    const counts = statusCounts(responses);
    console.log(`20 parallel full-amount intents on one ${kind}: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ 201: 1, 409: 19 });
    expect(responses.find((r) => r.status === 201)!.body.data.status).toBe('succeeded');
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('conflict');
    const paid = await shop.get(`/api/v1/${kind}s/${target.id}`);
    expect(paid.amount_paid).toBe(target.total);
    expect(await shop.ledgerOf(target.id)).toEqual([{ type: 'charge', status: 'completed', amount: target.total }]);
  });

  it('20 parallel POST /invoices/{id}/pay: one pays, the rest 409, no 5xx', async () => {
    const invoice = await shop.invoice(5000);
    const responses = await Promise.all(Array.from({ length: 20 }, () => shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })));
    const counts = statusCounts(responses);
    console.log(`20 parallel invoice pays: ${JSON.stringify(counts)}`);
    expect(counts[200]).toBe(1);
    expect(counts[409]).toBe(19);
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 5000 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 5000 }]);
  });

  it('the database refuses an invoice paid beyond its total (CHECK amount_paid <= total)', async () => {
    const invoice = await shop.invoice(1000);
    await expect(db.query('UPDATE invoices SET amount_paid = total + 1 WHERE id = $1', [invoice.id])).rejects.toThrow(/check/i);
  });
});

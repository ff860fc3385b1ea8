import { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop, statusCounts } from '../support/payment-fixtures';

const DISPUTE_CARD = { ...OK_CARD, number: '4000000000000259' };

/**
 * Refunds reserve, commit, call the processor, record: an invoice refund is all or nothing (409
 * before any money moves), and parallel refunds never give back more than was captured.
 */
describe('refunds move money once and only when they can all happen (e2e)', () => {
  let t: TestApp, db: DataSource, shop: PaymentShop;

  async function sandboxRefunds(): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM sandbox_processor_calls WHERE tenant_id = $1 AND operation = 'refund'`, [shop.tenantId]);
    return row.n;
  }

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    shop = await new PaymentShop(t.http, db).setUp('Refunds shop');
  });
  afterAll(() => t.close());

  it('an invoice refund that disputes make impossible in full answers 409 with no money moved and nothing recorded', async () => {
    const invoice = await shop.invoice(5000);
    expect((await shop.intent({ amount: 2000, invoice_id: invoice.id, card: DISPUTE_CARD })).body.data.status).toBe('succeeded');
    expect((await shop.intent({ amount: 3000, invoice_id: invoice.id, card: OK_CARD })).body.data.status).toBe('succeeded');
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 5000 });
    const before = await sandboxRefunds();

    const res = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.field).toBe('amount');
    expect(await sandboxRefunds()).toBe(before);
    expect((await shop.ledgerOf(invoice.id)).filter((r) => r.type === 'refund')).toEqual([]);
    const [refunds] = await db.query(`SELECT count(*)::int AS n FROM refunds r JOIN payment_intents i ON i.id = r.intent_id WHERE i.target_id = $1`, [invoice.id]);
    expect(refunds.n).toBe(0);
    expect((await shop.get(`/api/v1/invoices/${invoice.id}`)).amount_refunded).toBe(0);

    // What the undisputed payment holds can still be refunded.
    const part = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 3000 });
    expect(part.status).toBe(200);
    expect(part.body.data).toMatchObject({ amount_refunded: 3000 });
    expect(await sandboxRefunds()).toBe(before + 1);
  });

  it('10 parallel full refunds of one payment: one refunds, 9 × 409, one ledger row, one processor refund', async () => {
    const invoice = await shop.invoice(2600);
    const paid = await shop.intent({ amount: 2600, invoice_id: invoice.id, card: OK_CARD });
    const before = await sandboxRefunds();
    const responses = await Promise.all(Array.from({ length: 10 }, () => shop.post(`/api/v1/payments/${paid.body.data.id}/refund`, {})));
    const counts = statusCounts(responses);
    console.log(`10 parallel full refunds: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ 200: 1, 409: 9 });
    expect(await sandboxRefunds()).toBe(before + 1);
    expect((await shop.ledgerOf(invoice.id)).filter((r) => r.type === 'refund')).toEqual([{ type: 'refund', status: 'completed', amount: -2600 }]);
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ amount_paid: 2600, amount_refunded: 2600 });
  });
});

import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../src/config/config';
import { PaymentReconciliationService } from '../../src/modules/payments/payment-reconciliation.service';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop } from '../support/payment-fixtures';

/**
 * Processor calls happen outside transactions, so an answer can be lost after the money moved. The
 * sandbox's SANDBOX_PROVIDER_FAULT switch (flipped on this process's config) makes it fail right
 * after it captured or refunded; the reconciliation job then asks the sandbox by idempotency key and
 * records the outcome exactly once. (The SIGKILL version is payments-crash.e2e-spec.ts.)
 */
describe('payment reconciliation (e2e)', () => {
  let t: TestApp, db: DataSource, config: AppConfig, shop: PaymentShop, reconciliation: PaymentReconciliationService;
  const reconcile = () => reconciliation.reconcile(0, shop.tenantId);

  async function withFault<T>(fault: AppConfig['SANDBOX_PROVIDER_FAULT'], work: () => Promise<T>): Promise<T> {
    config.SANDBOX_PROVIDER_FAULT = fault;
    try {
      return await work();
    } finally {
      config.SANDBOX_PROVIDER_FAULT = 'none';
    }
  }

  async function eventCount(type: string, objectId: string): Promise<number> {
    const [row] = await db.query(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = $2 AND data->'object'->>'id' = $3`, [shop.tenantId, type, objectId]);
    return row.n;
  }

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    config = t.app.get(APP_CONFIG);
    reconciliation = t.app.get(PaymentReconciliationService);
    shop = await new PaymentShop(t.http, db).setUp('Reconcile shop');
  });
  afterAll(async () => {
    config.SANDBOX_PROVIDER_FAULT = 'none';
    await t.close();
  });

  it('a capture whose answer was lost stays processing, holds the invoice (409 for another payment, no void), and is recorded once by the reconciliation', async () => {
    const invoice = await shop.invoice(6000);
    const res = await withFault('fail_after_charge', () => shop.intent({ amount: 6000, invoice_id: invoice.id, card: OK_CARD }));
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'processing', amount_captured: 0 });
    const intentId = res.body.data.id;
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'open', amount_paid: 0 });
    expect((await shop.intent({ amount: 6000, invoice_id: invoice.id, card: OK_CARD })).status).toBe(409);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/void`)).status).toBe(409);
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'pending', amount: 6000 }]);

    expect(await reconcile()).toEqual({ settled: 1, unchanged: 0, failed: 0 });
    expect(await shop.get(`/api/v1/payments/${intentId}`)).toMatchObject({ status: 'succeeded', amount_captured: 6000 });
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 6000 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 6000 }]);
    expect(await eventCount('payment.succeeded', intentId)).toBe(1);
    expect(await eventCount('invoice.paid', invoice.id)).toBe(1);

    expect(await reconcile()).toEqual({ settled: 0, unchanged: 0, failed: 0 });
    expect(await shop.ledgerOf(invoice.id)).toHaveLength(1);
  });

  it('a refund whose answer was lost stays pending (the amount reserved) and is recorded once by the reconciliation', async () => {
    const invoice = await shop.invoice(3000);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(200);
    const res = await withFault('fail_after_refund', () => shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 1000 }));
    expect(res.status).toBe(200);
    const [payment] = (await t.http.get('/api/v1/payments', { token: shop.key, query: { invoice_id: invoice.id } })).body.data;
    expect(payment.refunds).toEqual([expect.objectContaining({ amount: 1000, status: 'pending' })]);
    // The reservation already counts: no second refund of the same money.
    expect((await shop.post(`/api/v1/payments/${payment.id}/refund`, { amount: 2001 })).status).toBe(409);

    expect(await reconcile()).toEqual({ settled: 1, unchanged: 0, failed: 0 });
    const after = await shop.get(`/api/v1/payments/${payment.id}`);
    expect(after.refunds).toEqual([expect.objectContaining({ amount: 1000, status: 'succeeded' })]);
    expect(await shop.get(`/api/v1/invoices/${invoice.id}`)).toMatchObject({ status: 'paid', amount_paid: 3000, amount_refunded: 1000 });
    expect(await shop.ledgerOf(invoice.id)).toEqual([
      { type: 'charge', status: 'completed', amount: 3000 },
      { type: 'refund', status: 'completed', amount: -1000 },
    ]);
    expect(await reconcile()).toEqual({ settled: 0, unchanged: 0, failed: 0 });
  });

  it('a payment that never reached the processor (process died before the call) fails, and the invoice can be paid again', async () => {
    const invoice = await shop.invoice(2500);
    const waiting = await shop.intent({ amount: 2500, invoice_id: invoice.id });
    // As the first transaction of a confirm leaves it: processing with a pending charge row, then the process dies.
    await db.query(`UPDATE payment_intents SET status = 'processing' WHERE id = $1`, [waiting.body.data.id]);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(409);

    expect(await reconcile()).toEqual({ settled: 1, unchanged: 0, failed: 0 });
    expect(await shop.get(`/api/v1/payments/${waiting.body.data.id}`)).toMatchObject({ status: 'failed', failure_code: 'processing_error', amount_captured: 0 });
    const paid = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ status: 'paid', amount_paid: 2500 });
  });

  it('a manual capture whose answer was lost is captured once; a 3-D Secure confirmation never sent goes back to requires_action', async () => {
    const order = await shop.order(2);
    const held = await shop.intent({ amount: order.total, order_id: order.id, card: OK_CARD, capture_method: 'manual' });
    const captured = await withFault('fail_after_charge', () => shop.post(`/api/v1/payments/${held.body.data.id}/capture`, { amount: 3000 }));
    expect(captured.status).toBe(200);
    expect(captured.body.data.status).toBe('processing');
    expect((await shop.post(`/api/v1/payments/${held.body.data.id}/capture`, {})).status).toBe(409);

    const threeDs = await shop.intent({ amount: 100, card: { ...OK_CARD, number: '4000002760003184' } });
    expect(threeDs.body.data.status).toBe('requires_action');
    await db.query(`UPDATE payment_intents SET status = 'processing' WHERE id = $1`, [threeDs.body.data.id]);

    expect(await reconcile()).toMatchObject({ settled: 2, failed: 0 });
    expect(await shop.get(`/api/v1/payments/${held.body.data.id}`)).toMatchObject({ status: 'succeeded', amount_captured: 3000 });
    expect(await shop.get(`/api/v1/orders/${order.id}`)).toMatchObject({ amount_paid: 3000, payment_status: 'pending' });
    expect(await shop.get(`/api/v1/payments/${threeDs.body.data.id}`)).toMatchObject({ status: 'requires_action' });
    expect((await shop.post(`/api/v1/payments/${threeDs.body.data.id}/confirm`, {})).body.data.status).toBe('succeeded');
  });

  it('the reconciliation leaves young processing payments alone (configurable age)', async () => {
    const invoice = await shop.invoice(900);
    const res = await withFault('fail_after_charge', () => shop.intent({ amount: 900, invoice_id: invoice.id, card: OK_CARD }));
    expect(res.body.data.status).toBe('processing');
    expect(await reconciliation.reconcile(3600, shop.tenantId)).toEqual({ settled: 0, unchanged: 0, failed: 0 });
    expect(await reconcile()).toEqual({ settled: 1, unchanged: 0, failed: 0 });
  });
});

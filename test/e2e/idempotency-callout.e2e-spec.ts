import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop, statusCounts } from '../support/payment-fixtures';

/**
 * `Idempotency-Key` on routes that call the card processor (`@IdempotencyOutsideTransaction`): the
 * key is claimed and committed, the route runs outside any transaction, and the response is stored
 * afterwards. The promise of API.md holds: one side effect, replays with `Idempotent-Replayed`,
 * 422 for another request, 409 while the first still runs, and a failure leaves the key reusable.
 */
describe('Idempotency-Key on routes that call the processor (e2e)', () => {
  let t: TestApp, db: DataSource, shop: PaymentShop;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    shop = await new PaymentShop(t.http, db).setUp('Idempotent pay shop');
  });
  afterAll(() => t.close());

  it('a payment intent retried with its key is charged once and replayed', async () => {
    const key = `pi-${randomUUID()}`;
    const body = { amount: 1234, card: OK_CARD, metadata: { cart: key } };
    const first = await shop.intent(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body.data.status).toBe('succeeded');
    const again = await shop.intent(body, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await shop.intent({ ...body, amount: 1 }, { 'Idempotency-Key': key })).status).toBe(422);
    const [row] = await db.query(`SELECT count(*)::int AS n FROM payment_intents WHERE tenant_id = $1 AND metadata->>'cart' = $2`, [shop.tenantId, key]);
    expect(row.n).toBe(1);
  });

  it('20 parallel POST /invoices/{id}/pay with one key: one charge; the others replay it or get 409, never 5xx', async () => {
    const invoice = await shop.invoice(4100);
    const key = `pay-${randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 20 }, () => shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD }, { 'Idempotency-Key': key })));
    const counts = statusCounts(responses);
    console.log(`20 parallel pays with one Idempotency-Key: ${JSON.stringify(counts)}`);
    expect(Object.keys(counts).every((s) => s === '200' || s === '409')).toBe(true);
    expect(responses.filter((r) => r.status === 200 && r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(await shop.ledgerOf(invoice.id)).toEqual([{ type: 'charge', status: 'completed', amount: 4100 }]);
    const replay = await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD }, { 'Idempotency-Key': key });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.data).toMatchObject({ status: 'paid', amount_paid: 4100 });
  });

  it('a failed request stores nothing: the same key runs again', async () => {
    const invoice = await shop.invoice(500);
    const key = `refund-${randomUUID()}`;
    const early = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 500 }, { 'Idempotency-Key': key });
    expect(early.status).toBe(409); // nothing paid yet
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(200);
    const later = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 500 }, { 'Idempotency-Key': key });
    expect(later.status).toBe(200);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.body.data).toMatchObject({ amount_refunded: 500 });
    const replay = await shop.post(`/api/v1/invoices/${invoice.id}/refund`, { amount: 500 }, { 'Idempotency-Key': key });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await shop.ledgerOf(invoice.id)).toEqual([
      { type: 'charge', status: 'completed', amount: 500 },
      { type: 'refund', status: 'completed', amount: -500 },
    ]);
  });

  it('order cancel with refund under a key refunds once', async () => {
    const order = await shop.order(1);
    expect((await shop.intent({ amount: order.total, order_id: order.id, card: OK_CARD })).status).toBe(201);
    const key = `cancel-${randomUUID()}`;
    const cancel = () => shop.post(`/api/v1/orders/${order.id}/cancel`, { reason: 'customer_request', refund: true }, { 'Idempotency-Key': key });
    const first = await cancel();
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ status: 'cancelled', payment_status: 'refunded', amount_refunded: order.total });
    const again = await cancel();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await shop.ledgerOf(order.id)).filter((r) => r.type === 'refund')).toEqual([{ type: 'refund', status: 'completed', amount: -order.total }]);
  });
});

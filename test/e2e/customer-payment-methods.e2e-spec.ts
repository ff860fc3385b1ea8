import type { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { OK_CARD, PaymentShop } from '../support/payment-fixtures';

/** Issue 17 item 4, test mode: the sandbox card saved by paying an invoice, listed and removed. */
describe('customer saved payment methods in test mode (e2e)', () => {
  let t: TestApp, db: DataSource;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  it('lists the card that paid an invoice (never its number); removing it leaves nothing to charge (422)', async () => {
    const shop = await new PaymentShop(t.http, db).setUp('Saved methods shop');
    expect((await t.http.get(`/api/v1/customers/${shop.customerId}/payment-methods`, { token: shop.key })).body.data).toEqual([]);
    const invoice = await shop.invoice(1200);
    expect((await shop.post(`/api/v1/invoices/${invoice.id}/pay`, { payment_method: 'card', card: OK_CARD })).status).toBe(200);

    const listed = await t.http.get(`/api/v1/customers/${shop.customerId}/payment-methods`, { token: shop.key });
    expect(listed.body.data).toEqual([expect.objectContaining({ type: 'card', brand: 'visa', last4: '4242', is_default: true, livemode: false })]);
    expect(JSON.stringify(listed.body)).not.toContain(OK_CARD.number);

    expect((await t.http.delete(`/api/v1/customers/${shop.customerId}/payment-methods/${listed.body.data[0].id}`, { token: shop.key })).status).toBe(204);
    const next = await shop.invoice(800);
    const pay = await shop.post(`/api/v1/invoices/${next.id}/pay`, {});
    expect(pay.status).toBe(422);
    expect(pay.body.error.field).toBe('payment_method');
    expect((await t.http.get('/api/v1/customers/cus_00000000000000000000000000/payment-methods', { token: shop.key })).status).toBe(404);
  });
});

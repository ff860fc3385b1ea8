import { startTestApp, type TestApp } from '../support/app';
import { ownerDb } from '../support/owner-db';
import { OK_CARD, PaymentShop } from '../support/payment-fixtures';

/** `refund_application_fee` on a refund (seed 004): accepted and recorded, refunding nothing extra (issue 22 item 4). */
describe('refund_application_fee (e2e)', () => {
  let t: TestApp;
  let shop: PaymentShop;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await new PaymentShop(t.http, await ownerDb()).setUp('Fee shop');
  });
  afterAll(() => t.close());

  it('records the flag on the refund and refunds exactly the amount asked', async () => {
    const intent = await shop.intent({ amount: 1000, card: OK_CARD });
    expect(intent.body.data.status).toBe('succeeded');
    const refunded = await shop.post(`/api/v1/payments/${intent.body.data.id}/refund`, { amount: 300, refund_application_fee: true });
    expect(refunded.status).toBe(200);
    expect(refunded.body.data.amount_refunded).toBe(300);
    expect(refunded.body.data.refunds).toEqual([expect.objectContaining({ amount: 300, refund_application_fee: true })]);
    const plain = await shop.post(`/api/v1/payments/${intent.body.data.id}/refund`, { amount: 100 });
    expect(plain.body.data.refunds.map((r: { refund_application_fee: boolean }) => r.refund_application_fee).sort()).toEqual([false, true]);
  });
});

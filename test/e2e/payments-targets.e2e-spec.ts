import { TransactionService } from '../../src/database/transaction.service';
import { PaymentTargets } from '../../src/modules/payments/payment-targets';
import { PaymentIntentsService } from '../../src/modules/payments/payment-intents.service';
import { PaymentRefundsService } from '../../src/modules/payments/payment-refunds.service';
import { SavedPaymentMethodsService } from '../../src/modules/payments/saved-payment-methods.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { newId } from '../../src/platform/ids/ids';
import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { startSandboxShopApp } from '../support/fixtures';
import { CARDS, card, CardPayments } from '../support/payment-fixtures';
import type { TypedApi } from '../support/typed-api';

describe("payments: payment targets (the billing module's invoice target) (e2e)", () => {
  let t: TestApp, shop: TenantFixture, api: TypedApi;
  const cards = new CardPayments(() => api);

  beforeAll(async () => {
    ({ t, shop, api } = await startSandboxShopApp('Payments shop'));
  });
  afterAll(() => t.close());

  describe('payment targets (the billing module\'s invoice target)', () => {
    let service: PaymentIntentsService;
    let refunds: PaymentRefundsService;
    let savedMethods: SavedPaymentMethodsService;
    let tx: TransactionService;
    let ctx: RequestContext;
    let customerId: string;

    async function invoice(total: number): Promise<string> {
      const res = await api.post('/invoices', { body: { customer_id: customerId, currency: 'usd', lines: [{ description: 'Test', quantity: 1, unit_amount: total }] } });
      if (res.status !== 201) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.id;
    }
    const invoiceState = async (id: string) => (await api.get('/invoices/{id}', { path: { id } })).body.data;

    beforeAll(async () => {
      service = t.app.get(PaymentIntentsService);
      refunds = t.app.get(PaymentRefundsService);
      savedMethods = t.app.get(SavedPaymentMethodsService);
      tx = t.app.get(TransactionService);
      ctx = RequestContext.system('billing-test', shop.tenantId, 'test');
      const customer = await api.post('/customers', { body: { email: `payer-${newId('cus')}@example.test`, first_name: 'Pay', last_name: 'Er' } });
      customerId = customer.body.data.id;
    });

    it('an invoice_id is checked with assertPayable (404, 409) and the invoice follows every movement', async () => {
      const id = await invoice(4000);
      expect((await cards.pay({ invoice_id: newId('inv') })).status).toBe(404);
      expect((await cards.pay({ invoice_id: id, amount: 4000, currency: 'eur' })).status).toBe(409);
      expect((await cards.pay({ invoice_id: id, amount: 4001 })).status).toBe(409);

      const failed = await cards.pay({ invoice_id: id, amount: 4000, card: card(CARDS.declined) });
      expect(failed.status).toBe(201);
      expect(await invoiceState(id)).toMatchObject({ status: 'open', amount_paid: 0 });

      const held = await cards.payOk({ invoice_id: id, amount: 4000, capture_method: 'manual' });
      expect(held.invoice_id).toBe(id);
      expect(held.customer_id).toBe(customerId);
      expect(await invoiceState(id)).toMatchObject({ status: 'open', amount_paid: 0 });
      await api.post('/payments/{id}/capture', { path: { id: held.id }, body: {} });
      expect(await invoiceState(id)).toMatchObject({ status: 'paid', amount_paid: 4000, amount_due: 0 });
      expect((await cards.pay({ invoice_id: id, amount: 4000 })).status).toBe(409);

      await api.post('/payments/{id}/refund', { path: { id: held.id }, body: { amount: 1500 } });
      expect(await invoiceState(id)).toMatchObject({ status: 'paid', amount_paid: 4000, amount_refunded: 1500 });
      const listed = await api.get('/payments', { query: { invoice_id: id } });
      expect(listed.body.data.map((p) => p.id)).toEqual([held.id, failed.body.data.id]);
    });

    it('chargeTarget and refundTarget (newest first, up to an amount) run outside any transaction, never inside a caller\'s', async () => {
      const id = await invoice(5000);
      const first = await service.chargeTarget(ctx, 'invoice', id, { amount: 3000, currency: 'usd', payment_method: 'card', card: card(CARDS.ok) });
      expect(first).toMatchObject({ status: 'succeeded', invoice_id: id, amount_captured: 3000 });
      const second = await service.chargeTarget(ctx, 'invoice', id, { amount: 2000, currency: 'usd', payment_method: 'card', card: card(CARDS.ok) });
      expect(await invoiceState(id)).toMatchObject({ status: 'paid', amount_paid: 5000 });

      const refunded = await refunds.refundTarget(ctx, 'invoice', id, 'invoice_refund', 2500);
      expect(refunded).toBe(2500);
      expect((await service.get(ctx, second.id)).amount_refunded).toBe(2000);
      expect((await service.get(ctx, first.id)).amount_refunded).toBe(500);
      expect(await invoiceState(id)).toMatchObject({ amount_paid: 5000, amount_refunded: 2500 });

      const rest = await refunds.refundTarget(ctx, 'invoice', id);
      expect(rest).toBe(2500);
      expect(await refunds.refundTarget(ctx, 'invoice', id)).toBe(0);

      // Issue 10: the processor is never called inside a database transaction, so a caller's
      // transaction is refused before anything is reserved or refunded.
      const third = await service.chargeTarget(ctx, 'invoice', await invoice(100), {
        amount: 100, currency: 'usd', payment_method: 'card', card: card(CARDS.ok),
      });
      await expect(tx.run(ctx, (txCtx) => refunds.refundTarget(txCtx, 'invoice', third.invoice_id!)))
        .rejects.toThrow(/must not run inside a database transaction/);
      await expect(tx.run(ctx, (txCtx) => service.chargeTarget(txCtx, 'invoice', id, { amount: 1, currency: 'usd', payment_method: 'card', card: card(CARDS.ok) })))
        .rejects.toThrow(/must not run inside a database transaction/);
      expect((await service.get(ctx, third.id)).amount_refunded).toBe(0);
      expect((await invoiceState(third.invoice_id!)).amount_refunded).toBe(0);
    });

    it('chargeSavedMethod charges the default card saved by an invoice payment; none → 422 naming payment_method', async () => {
      const id = await invoice(700);
      await expect(service.chargeSavedMethod(ctx, 'invoice', id, { customerId: newId('cus'), amount: 700, currency: 'usd' }))
        .rejects.toMatchObject({ code: 'validation_error', field: 'payment_method' });
      await service.chargeTarget(ctx, 'invoice', await invoice(100), { amount: 100, currency: 'usd', payment_method: 'card', card: card(CARDS.ok) });
      const saved = await service.chargeSavedMethod(ctx, 'invoice', id, { customerId, amount: 700, currency: 'usd' });
      expect(saved).toMatchObject({ status: 'succeeded', amount_captured: 700, customer_id: customerId, card: { brand: 'visa', last4: '4242' } });
      expect(await savedMethods.findDefault(ctx, customerId)).toMatchObject({ brand: 'visa', last4: '4242' });
      expect((await invoiceState(id)).status).toBe('paid');
      const liveCtx = RequestContext.system('billing-test', shop.tenantId, 'live');
      await expect(service.chargeSavedMethod(liveCtx, 'invoice', id, { customerId, amount: 700, currency: 'usd' }))
        .rejects.toMatchObject({ code: 'validation_error' });
    });

    it("an order_id answers 422 naming it while no 'order' target is registered", async () => {
      if (t.app.get(PaymentTargets).find('order')) return; // the orders module registers it: its own tests cover that path
      const res = await cards.pay({ order_id: newId('ord') });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('order_id');
    });
  });
});

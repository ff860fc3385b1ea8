import type { TestApp } from '../support/app';
import { createApiKey } from '../support/factories';
import { addStock, createCustomer, createLocation, createProduct } from '../support/fixtures';
import { stockLedger } from '../support/observe';
import { ADDRESS as address, OrderShop, startOrderShop } from '../support/order-shop';
import type { TypedApi } from '../support/typed-api';

describe('orders: sandbox payments (e2e)', () => {
  let t: TestApp, shop: OrderShop, api: TypedApi, token: string;

  beforeAll(async () => {
    ({ t, shop, api, token } = await startOrderShop());
  });
  afterAll(() => t.close());

  describe('payments (sandbox)', () => {
    let key: string;
    let sandbox: TypedApi;
    let sandboxProduct: string;
    let sandboxCustomer: string;
    const card = (number: string) => ({ number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' });

    function pay(orderId: string, amount: number, number = '4242424242424242', currency = 'usd') {
      return sandbox.post('/payments/intents', { body: { amount, currency, payment_method: 'card', order_id: orderId, card: card(number) } });
    }

    async function sandboxOrder(quantity = 2) {
      const res = await sandbox.post('/orders', { body: { customer_id: sandboxCustomer, shipping_address: address, items: [{ product_id: sandboxProduct, quantity }] } });
      expect(res.status).toBe(201);
      expect(res.body.meta.livemode).toBe(false);
      return res.body.data;
    }

    async function paidOrder(quantity = 2) {
      const o = await sandboxOrder(quantity);
      const intent = await pay(o.id, o.total);
      expect(intent.status).toBe(201);
      expect(intent.body.data.status).toBe('succeeded');
      return { ...o, intentId: intent.body.data.id };
    }

    const getOrder = async (id: string) => (await sandbox.get('/orders/{id}', { path: { id } })).body.data;
    const sandboxStock = async () => (await sandbox.get('/inventory/{product_id}', { path: { product_id: sandboxProduct } })).body.data;

    beforeAll(async () => {
      key = (await createApiKey(t.http, token, { mode: 'test' })).secret;
      sandbox = api.as(key);
      const loc = await createLocation(sandbox, { name: 'Sandbox', code: 'SBX' });
      sandboxProduct = (await createProduct(sandbox, { price: 2500 })).id;
      await addStock(sandbox, sandboxProduct, 100, { location: loc.id });
      sandboxCustomer = (await createCustomer(sandbox)).id;
    });

    it('a captured payment makes the order paid; overpaying, another currency or paying a cancelled order is 409', async () => {
      const o = await paidOrder();
      const got = await getOrder(o.id);
      expect(got).toMatchObject({ total: 5000, payment_status: 'paid', amount_paid: 5000, amount_refunded: 0, status: 'pending' });
      expect((await pay(o.id, 1)).status).toBe(409);
      const part = await sandboxOrder();
      expect((await pay(part.id, 100, '4242424242424242', 'eur')).status).toBe(409);
      expect((await sandbox.post('/payments/intents', { body: { amount: 1, currency: 'usd', payment_method: 'card', order_id: 'ord_01h2xcejqtf2nbrexx3vqjhp41', card: card('4242424242424242') } })).status).toBe(404);
      expect((await sandbox.post('/orders/{id}/cancel', { path: { id: part.id }, body: { reason: 'x' } })).status).toBe(200);
      expect((await pay(part.id, 100)).status).toBe(409);
      const updated = (await shop.events('order.updated', key)).filter((e) => e.data.object.id === o.id);
      expect(updated.some((e) => e.data.object.payment_status === 'paid')).toBe(true);
    });

    it('a declined card leaves the order failed', async () => {
      const o = await sandboxOrder();
      const intent = await pay(o.id, o.total, '4000000000000002');
      expect(intent.status).toBe(201);
      expect(intent.body.data.status).toBe('failed');
      expect(await getOrder(o.id)).toMatchObject({ payment_status: 'failed', amount_paid: 0 });
    });

    it('cancel with refund: true refunds the captured payment, releases stock and emits order.refunded', async () => {
      const before = await sandboxStock();
      const o = await paidOrder(3);
      expect((await sandboxStock()).total_reserved).toBe(before.total_reserved + 3);
      const res = await sandbox.post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'customer_request', refund: true, note: 'changed mind' } });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'cancelled', payment_status: 'refunded', amount_paid: 7500, amount_refunded: 7500 });
      expect((await sandboxStock()).total_reserved).toBe(before.total_reserved);
      const intent = await sandbox.get('/payments/{id}', { path: { id: o.intentId } });
      expect(intent.body.data.amount_refunded).toBe(7500);
      expect((await shop.events('order.refunded', key)).some((e) => e.data.object.id === o.id)).toBe(true);
      expect((await shop.events('order.cancelled', key)).some((e) => e.data.object.id === o.id)).toBe(true);
    });

    it('cancel without refund keeps the money; refunded is then allowed from cancelled and refunds it', async () => {
      const o = await paidOrder(1);
      const res = await sandbox.post('/orders/{id}/cancel', { path: { id: o.id }, body: { reason: 'oversold', refund: false } });
      expect(res.body.data).toMatchObject({ status: 'cancelled', payment_status: 'paid', amount_refunded: 0 });
      const refunded = await shop.setStatus(o.id, 'refunded', 'money back', key);
      expect(refunded.status).toBe(200);
      expect(refunded.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 2500 });
      expect(refunded.body.data.status_history.at(-1)).toMatchObject({ from_status: 'cancelled', to_status: 'refunded', note: 'money back' });
      const terminal = await shop.setStatus(o.id, 'pending', undefined, key);
      expect(terminal.status).toBe(409);
      expect(terminal.body.error.message).toMatch(/allowed next statuses: none/);
    });

    it('refunded after delivery refunds everything and keeps the stock sold; after a partial refund it refunds the rest and releases stock', async () => {
      const start = await sandboxStock();
      const o = await paidOrder(2);
      for (const s of ['confirmed', 'processing', 'shipped', 'delivered']) expect((await shop.setStatus(o.id, s, undefined, key)).status).toBe(200);
      const res = await shop.setStatus(o.id, 'refunded', undefined, key);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 5000, fulfillment_status: 'fulfilled' });
      expect(await sandboxStock()).toMatchObject({ total_on_hand: start.total_on_hand - 2, total_reserved: start.total_reserved });

      const p = await paidOrder(2);
      const partial = await sandbox.post('/payments/{id}/refund', { path: { id: p.intentId }, body: { amount: 1000 } });
      expect(partial.status).toBe(200);
      expect(await getOrder(p.id)).toMatchObject({ payment_status: 'partially_refunded', amount_refunded: 1000 });
      const rest = await shop.setStatus(p.id, 'refunded', undefined, key);
      expect(rest.status).toBe(200);
      expect(rest.body.data).toMatchObject({ status: 'refunded', payment_status: 'refunded', amount_refunded: 5000 });
      expect(await sandboxStock()).toMatchObject({ total_on_hand: start.total_on_hand - 2, total_reserved: start.total_reserved });
      expect((await shop.events('order.refunded', key)).filter((e) => e.data.object.id === p.id).length).toBeGreaterThanOrEqual(2);
      const ledger = await stockLedger(shop.tenantId, sandboxProduct);
      for (const row of ledger) expect([row.on_hand_sum, row.reserved_sum]).toEqual([row.on_hand, row.reserved]);
    });

    it('live orders never show in the sandbox and the other way round', async () => {
      const o = await sandboxOrder(1);
      expect((await api.get('/orders/{id}', { path: { id: o.id } })).status).toBe(404);
    });
  });
});

import { newId } from '../../src/platform/ids/ids';
import type { TestApp } from '../support/app';
import { startSandboxShopApp } from '../support/fixtures';
import { CARDS, card, CardPayments } from '../support/payment-fixtures';
import type { TypedApi } from '../support/typed-api';

describe('payments: test cards, validation and capture (e2e)', () => {
  let t: TestApp, api: TypedApi;
  const cards = new CardPayments(() => api);

  beforeAll(async () => {
    ({ t, api } = await startSandboxShopApp('Payments shop'));
  });
  afterAll(() => t.close());

  describe('test cards', () => {
    it('4242… succeeds and is captured at once; keeps brand, last4 and expiry but never the number', async () => {
      const res = await cards.pay({ metadata: { cart: 'c1' } });
      expect(res.status).toBe(201);
      const p = res.body.data;
      expect(p.id).toMatch(/^pi_/);
      expect(p).toMatchObject({
        status: 'succeeded', amount: 10000, amount_captured: 10000, amount_refunded: 0, capture_method: 'automatic',
        card: { brand: 'visa', last4: '4242', exp_month: 12 }, failure_code: null, next_action: null, livemode: false, metadata: { cart: 'c1' },
      });
      expect(res.body.meta.livemode).toBe(false);
      expect(JSON.stringify(res.body)).not.toContain(CARDS.ok);

      const got = await api.get('/payments/{id}', { path: { id: p.id } });
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body)).not.toContain(CARDS.ok);
      expect(await cards.ledger({ payment_id: p.id })).toEqual([expect.objectContaining({ type: 'charge', status: 'completed', amount: 10000 })]);

      const events = await api.get('/events', { query: { type: 'payment.succeeded' } });
      expect(events.status).toBe(200);
      expect(events.body.data.some((e) => e.data.object.id === p.id)).toBe(true);
    });

    it.each([
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficient, 'insufficient_funds'],
    ])('%s fails with %s (201, status failed, a failed ledger row, payment.failed)', async (number, code) => {
      const res = await cards.pay({ card: card(number) });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ status: 'failed', failure_code: code, amount_captured: 0 });
      expect(res.body.data.failure_message).toEqual(expect.any(String));
      expect(await cards.ledger({ payment_id: res.body.data.id })).toEqual([expect.objectContaining({ type: 'charge', status: 'failed' })]);
      const events = await api.get('/events', { query: { type: 'payment.failed' } });
      expect(events.body.data.some((e) => e.data.object.id === res.body.data.id)).toBe(true);
    });

    it('4000002760003184 requires 3-D Secure, then POST /payments/{id}/confirm completes it', async () => {
      const res = await cards.pay({ card: card(CARDS.threeDs) });
      expect(res.status).toBe(201);
      const p = res.body.data;
      expect(p).toMatchObject({ status: 'requires_action', amount_captured: 0, next_action: { type: 'three_d_secure', confirm_url: `/api/v1/payments/${p.id}/confirm` } });
      expect(await cards.ledger({ payment_id: p.id })).toEqual([expect.objectContaining({ type: 'charge', status: 'pending' })]);

      const confirmed = await api.post('/payments/{id}/confirm', { path: { id: p.id }, body: {} });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.data).toMatchObject({ status: 'succeeded', amount_captured: 10000, next_action: null });
      expect(await cards.ledger({ payment_id: p.id })).toEqual([expect.objectContaining({ type: 'charge', status: 'completed', amount: 10000 })]);

      const again = await api.post('/payments/{id}/confirm', { path: { id: p.id }, body: {} });
      expect(again.status).toBe(409);
    });

    it('an intent without a card waits for one; confirm with a card charges it', async () => {
      const res = await cards.pay({ card: undefined });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({ status: 'requires_payment_method', card: null });
      const noCard = await api.post('/payments/{id}/confirm', { path: { id: res.body.data.id }, body: {} });
      expect(noCard.status).toBe(422);
      expect(noCard.body.error.field).toBe('card');
      const confirmed = await api.post('/payments/{id}/confirm', { path: { id: res.body.data.id }, body: { card: card(CARDS.ok) } });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.data).toMatchObject({ status: 'succeeded', card: { last4: '4242' } });
    });
  });

  describe('validation', () => {
    it('a number failing Luhn → 422 naming card.number, without echoing the number', async () => {
      const res = await cards.pay({ card: card('4242424242424241') });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d) => d.field)).toContain('card.number');
      expect(JSON.stringify(res.body)).not.toContain('4242424242424241');
    });

    it('a real (non-test) card in the sandbox, an expired card, a bad cvc → 422 naming the field', async () => {
      const real = await cards.pay({ card: card('4111111111111111') });
      expect(real.status).toBe(422);
      expect(real.body.error.field).toBe('card.number');
      expect(JSON.stringify(real.body)).not.toContain('4111111111111111');
      const expired = await cards.pay({ card: { ...card(CARDS.ok), exp_year: 2020 } });
      expect(expired.status).toBe(422);
      expect(expired.body.error.field).toBe('card.exp_year');
      const cvc = await cards.pay({ card: { ...card(CARDS.ok), cvc: '12' } });
      expect(cvc.status).toBe(422);
      expect(cvc.body.error.field).toBe('card.cvc');
    });

    it('bad amount, currency, capture_method, unknown fields → 422; both order_id and invoice_id → 422', async () => {
      for (const body of [{ amount: 0 }, { amount: 10.5 }, { currency: 'USD' }, { capture_method: 'later' }, { payment_method: 'cash' }, { extra: 1 }]) {
        const res = await cards.pay(body);
        expect(res.status).toBe(422);
      }
      const both = await cards.pay({ order_id: newId('ord'), invoice_id: newId('inv') });
      expect(both.status).toBe(422);
      expect(both.body.error.field).toBe('invoice_id');
    });

    it('an unknown customer → 404; bad list filters → 400 naming them', async () => {
      expect((await cards.pay({ customer_id: newId('cus') })).status).toBe(404);
      const bad = await api.send('get', '/payments', { query: { status: 'paid' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('status');
      const badDate = await api.send('get', '/payments', { query: { date_from: 'yesterday' } });
      expect(badDate.status).toBe(400);
      const badTx = await api.send('get', '/transactions', { query: { status: 'done' } });
      expect(badTx.status).toBe(400);
    });
  });

  describe('capture', () => {
    it('manual capture waits in requires_capture; a retried capture with the same Idempotency-Key charges once', async () => {
      const p = await cards.payOk({ capture_method: 'manual' });
      expect(p).toMatchObject({ status: 'requires_capture', amount_captured: 0 });
      expect(await cards.ledger({ payment_id: p.id })).toEqual([expect.objectContaining({ type: 'charge', status: 'pending' })]);

      const headers = { 'Idempotency-Key': `capture-${p.id}` };
      const first = await api.post('/payments/{id}/capture', { path: { id: p.id }, body: {}, headers });
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ status: 'succeeded', amount_captured: 10000 });
      const retry = await api.post('/payments/{id}/capture', { path: { id: p.id }, body: {}, headers });
      expect(retry.status).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.data).toEqual(first.body.data);

      const charges = await cards.ledger({ payment_id: p.id, type: 'charge' });
      expect(charges).toHaveLength(1);
      expect(charges[0]).toMatchObject({ status: 'completed', amount: 10000 });
      const events = await api.get('/events', { query: { type: 'payment.succeeded', per_page: 200 } });
      expect(events.body.data.filter((e) => e.data.object.id === p.id)).toHaveLength(1);

      // Without the key, a second capture is a conflict, never a second charge.
      const again = await api.post('/payments/{id}/capture', { path: { id: p.id }, body: {} });
      expect(again.status).toBe(409);
    });

    it('captures part of an authorization; above it → 409; concurrent captures charge once', async () => {
      const p = await cards.payOk({ capture_method: 'manual' });
      expect((await api.post('/payments/{id}/capture', { path: { id: p.id }, body: { amount: 20000 } })).status).toBe(409);
      const part = await api.post('/payments/{id}/capture', { path: { id: p.id }, body: { amount: 7000 } });
      expect(part.status).toBe(200);
      expect(part.body.data).toMatchObject({ status: 'succeeded', amount: 10000, amount_captured: 7000 });

      // No body at all is a full capture.
      const whole = await cards.payOk({ capture_method: 'manual' });
      const noBody = await api.post('/payments/{id}/capture', { path: { id: whole.id } });
      expect(noBody.status).toBe(200);
      expect(noBody.body.data.amount_captured).toBe(10000);
      const refundNoBody = await api.post('/payments/{id}/refund', { path: { id: whole.id } });
      expect(refundNoBody.status).toBe(200);
      expect(refundNoBody.body.data.amount_refunded).toBe(10000);

      const q = await cards.payOk({ capture_method: 'manual' });
      const results = await Promise.all([1, 2, 3].map(() => api.post('/payments/{id}/capture', { path: { id: q.id }, body: {} })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(await cards.ledger({ payment_id: q.id, status: 'completed' })).toHaveLength(1);
    });
  });
});

import { newId } from '../../src/platform/ids/ids';
import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { startSandboxShopApp } from '../support/fixtures';
import { CARDS, card, CardPayments } from '../support/payment-fixtures';
import type { TypedApi } from '../support/typed-api';

describe('payments: refunds and disputes (e2e)', () => {
  let t: TestApp, shop: TenantFixture, api: TypedApi;
  const cards = new CardPayments(() => api);

  beforeAll(async () => {
    ({ t, shop, api } = await startSandboxShopApp('Payments shop'));
  });
  afterAll(() => t.close());

  describe('refunds', () => {
    it('partial refunds 30 + 30 of 100 succeed, a further 50 → 409', async () => {
      const p = await cards.payOk({ amount: 100 });
      const r1 = await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 30, reason: 'requested_by_customer' } });
      expect(r1.status).toBe(200);
      expect(r1.body.data).toMatchObject({ amount_refunded: 30 });
      const r2 = await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 30 } });
      expect(r2.status).toBe(200);
      expect(r2.body.data.amount_refunded).toBe(60);
      expect(r2.body.data.refunds).toEqual([
        expect.objectContaining({ amount: 30, reason: 'requested_by_customer', status: 'succeeded', payment_id: p.id }),
        expect.objectContaining({ amount: 30, reason: null }),
      ]);
      const r3 = await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 50 } });
      expect(r3.status).toBe(409);
      expect(r3.body.error.code).toBe('conflict');

      const refunds = await cards.ledger({ payment_id: p.id, type: 'refund' });
      expect(refunds.map((r) => r.amount)).toEqual([-30, -30]);
      // The rest without an amount, then nothing left.
      const rest = await api.post('/payments/{id}/refund', { path: { id: p.id }, body: {} });
      expect(rest.status).toBe(200);
      expect(rest.body.data.amount_refunded).toBe(100);
      expect((await api.post('/payments/{id}/refund', { path: { id: p.id }, body: {} })).status).toBe(409);
      const events = await api.get('/events', { query: { type: 'payment.refunded', per_page: 200 } });
      expect(events.body.data.filter((e) => e.data.object.id === p.id)).toHaveLength(3);
    });

    it('concurrent refunds never exceed the captured amount', async () => {
      const p = await cards.payOk({ amount: 100 });
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 30 } })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409)).toHaveLength(2);
      const got = await api.get('/payments/{id}', { path: { id: p.id } });
      expect(got.body.data.amount_refunded).toBe(90);
      expect(got.body.data.refunds).toHaveLength(3);
    });

    it('a failed or uncaptured payment cannot be refunded (409)', async () => {
      const failed = (await cards.pay({ card: card(CARDS.declined) })).body.data;
      expect((await api.post('/payments/{id}/refund', { path: { id: failed.id }, body: {} })).status).toBe(409);
      const held = await cards.payOk({ capture_method: 'manual' });
      expect((await api.post('/payments/{id}/refund', { path: { id: held.id }, body: {} })).status).toBe(409);
    });
  });

  describe('disputes', () => {
    it('the dispute card succeeds then opens a dispute; respond moves it to under_review; lost counts against the payment', async () => {
      const p = await cards.payOk({ card: card(CARDS.dispute) });
      expect(p.status).toBe('succeeded');
      const list = await api.get('/payments/disputes', { query: { payment_id: p.id } });
      expect(list.status).toBe(200);
      expect(list.body.data).toHaveLength(1);
      const d = list.body.data[0];
      expect(d).toMatchObject({ payment_id: p.id, amount: 10000, status: 'needs_response', reason: 'fraudulent', evidence: null });
      expect(d.id).toMatch(/^dp_/);
      expect(await cards.ledger({ payment_id: p.id, type: 'dispute' })).toEqual([expect.objectContaining({ amount: -10000, status: 'completed' })]);

      // A disputed payment cannot be refunded.
      expect((await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 10 } })).status).toBe(409);

      const bad = await api.send('post', '/payments/disputes/{id}/respond', { path: { id: d.id }, body: { evidence: 'none' } });
      expect(bad.status).toBe(422);
      const responded = await api.post('/payments/disputes/{id}/respond', { path: { id: d.id }, body: { evidence: { shipping_tracking_number: '1Z999', customer_communication: 'Delivered and signed.' } } });
      expect(responded.status).toBe(200);
      expect(responded.body.data).toMatchObject({ status: 'under_review', evidence: { shipping_tracking_number: '1Z999' } });
      expect(responded.body.data.evidence_submitted_at).toEqual(expect.any(String));
      expect((await api.post('/payments/disputes/{id}/respond', { path: { id: d.id }, body: { evidence: { a: 'b' } } })).status).toBe(409);

      const lost = await api.post('/payments/disputes/{id}/close', { path: { id: d.id }, body: { outcome: 'lost' } });
      expect(lost.status).toBe(200);
      expect(lost.body.data.status).toBe('lost');
      const got = await api.get('/payments/{id}', { path: { id: p.id } });
      expect(got.body.data).toMatchObject({ amount_captured: 10000, amount_disputed: 10000, amount_refunded: 0 });
      expect((await api.post('/payments/disputes/{id}/close', { path: { id: d.id }, body: { outcome: 'won' } })).status).toBe(409);
    });

    it('a won dispute writes a reversal and the payment can be refunded again', async () => {
      const p = await cards.payOk({ card: card(CARDS.dispute), amount: 500 });
      const d = (await api.get('/payments/disputes', { query: { payment_id: p.id } })).body.data[0];
      const won = await api.post('/payments/disputes/{id}/close', { path: { id: d.id }, body: { outcome: 'won' } });
      expect(won.status).toBe(200);
      expect(await cards.ledger({ payment_id: p.id, type: 'dispute_reversal' })).toEqual([expect.objectContaining({ amount: 500 })]);
      expect((await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 100 } })).status).toBe(200);
      const open = await api.get('/payments/disputes', { query: { status: 'needs_response' } });
      expect(open.body.data.every((x) => x.status === 'needs_response')).toBe(true);
    });

    it('closing a dispute is for the sandbox only; unknown or malformed dispute ids → 404', async () => {
      const live = await api.as(shop.accessToken).post('/payments/disputes/{id}/close', { path: { id: newId('dp') }, body: { outcome: 'won' } });
      expect(live.status).toBe(422);
      expect((await api.post('/payments/disputes/{id}/respond', { path: { id: newId('dp') }, body: { evidence: { a: 'b' } } })).status).toBe(404);
      expect((await api.post('/payments/disputes/{id}/respond', { path: { id: 'nope' }, body: { evidence: { a: 'b' } } })).status).toBe(404);
    });
  });
});

import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import { CARDS, card, CardPayments } from '../support/payment-fixtures';
import { typedApi, type TypedApi } from '../support/typed-api';

describe('payments: live mode, tenancy, lists and the ledger (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let other: TenantFixture;
  let key: string; // ck_test_ of shop
  let otherKey: string; // ck_test_ of other
  let api: TypedApi; // acting with key
  const cards = new CardPayments(() => api);
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpShop(t.http, 'Payments shop');
    other = await signUpShop(t.http, 'Other shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    otherKey = (await createApiKey(t.http, other.accessToken, { mode: 'test' })).secret;
    api = typedApi(t.http, key);
  });
  afterAll(() => t.close());

  describe('live mode and tenancy', () => {
    it('live mode without a configured provider answers 422, never a fake success, and creates nothing', async () => {
      const res = await cards.pay({}, shop.accessToken);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toContain('payment provider not configured for live mode');
      const list = await api.as(shop.accessToken).get('/payments');
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);
      expect(list.body.meta.livemode).toBe(true);
    });

    it("another tenant's payment (or the other mode's) → 404; malformed ids → 404", async () => {
      const p = await cards.payOk();
      expect((await api.as(otherKey).get('/payments/{id}', { path: { id: p.id } })).status).toBe(404);
      expect((await api.as(otherKey).post('/payments/{id}/refund', { path: { id: p.id }, body: {} })).status).toBe(404);
      expect((await api.as(otherKey).post('/payments/{id}/capture', { path: { id: p.id }, body: {} })).status).toBe(404);
      expect((await api.as(shop.accessToken).get('/payments/{id}', { path: { id: p.id } })).status).toBe(404);
      expect((await api.get('/payments/{id}', { path: { id: 'pi_nope' } })).status).toBe(404);
      expect((await api.as(otherKey).get('/transactions', { query: { payment_id: p.id } })).body.data).toEqual([]);
      const mine = await api.as(otherKey).get('/payments');
      expect(mine.body.data.some((x) => x.id === p.id)).toBe(false);
    });

    it('scopes: a key without payments scopes → 403', async () => {
      const limited = await createApiKey(t.http, shop.accessToken, { mode: 'test', scopes: ['customers:read'] });
      expect((await api.as(limited.secret).get('/payments')).status).toBe(403);
      expect((await api.as(limited.secret).get('/transactions')).status).toBe(403);
      const readOnly = await createApiKey(t.http, shop.accessToken, { mode: 'test', scopes: ['payments:read'] });
      expect((await api.as(readOnly.secret).get('/payments')).status).toBe(200);
      expect((await cards.pay({}, readOnly.secret)).status).toBe(403);
    });
  });

  describe('lists and the ledger', () => {
    it('lists payments with filters and both paging modes', async () => {
      seq += 1;
      const customer = await api.post('/customers', { body: { email: `list-${seq}@example.test`, first_name: 'L', last_name: 'S' } });
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push((await cards.payOk({ customer_id: customer.body.data.id, amount: 100 + i })).id);
      const page1 = await api.get('/payments', { query: { customer_id: customer.body.data.id, per_page: 2 } });
      expect(page1.status).toBe(200);
      expect(page1.body.data.map((p) => p.id)).toEqual([ids[2], ids[1]]);
      expect(page1.body.meta).toMatchObject({ total: 3, page: 1, has_next: true });
      const page2 = await api.get('/payments', { query: { customer_id: customer.body.data.id, per_page: 2, cursor: page1.body.meta.next_cursor ?? undefined } });
      expect(page2.status).toBe(200);
      expect(page2.body.data.map((p) => p.id)).toEqual([ids[0]]);
      const byAmount = await api.get('/payments', { query: { customer_id: customer.body.data.id, sort: 'amount', order: 'asc' } });
      expect(byAmount.body.data.map((p) => p.amount)).toEqual([100, 101, 102]);
      const failed = await api.get('/payments', { query: { status: 'failed' } });
      expect(failed.body.data.every((p) => p.status === 'failed')).toBe(true);
      const future = await api.get('/payments', { query: { date_from: '2999-01-01' } });
      expect(future.body.data).toEqual([]);
    });

    it('copies account_ref_id and e-mail from the customer into the ledger; GET /transactions/{account_ref_id}', async () => {
      seq += 1;
      const ref = `ACC-${Date.now()}-${seq}`;
      const customer = await api.post('/customers', { body: { email: `Ledger-${seq}@Example.test`, first_name: 'L', last_name: 'G', account_ref_id: ref } });
      expect(customer.status).toBe(201);
      const p = await cards.payOk({ customer_id: customer.body.data.id, amount: 2999 });
      expect((await api.post('/payments/{id}/refund', { path: { id: p.id }, body: { amount: 999 } })).status).toBe(200);
      await cards.pay({ customer_id: customer.body.data.id, card: card(CARDS.declined) });

      const rows = await cards.ledger({ account_ref_id: ref });
      expect(rows.map((r) => [r.type, r.status, r.amount])).toEqual([
        ['charge', 'failed', 10000],
        ['refund', 'completed', -999],
        ['charge', 'completed', 2999],
      ]);
      expect(rows.every((r) => r.customer_email === `ledger-${seq}@example.test` && r.account_ref_id === ref)).toBe(true);

      const byRef = await api.get('/transactions/{account_ref_id}', { path: { account_ref_id: ref }, query: { status: 'completed' } });
      expect(byRef.status).toBe(200);
      expect(byRef.body.data).toHaveLength(2);
      expect(byRef.body.meta).toMatchObject({ total: 2, page: 1 });
      const byEmail = await cards.ledger({ customer_email: `LEDGER-${seq}@example.test` });
      expect(byEmail).toHaveLength(3);
      const cursorPage = await api.get('/transactions/{account_ref_id}', { path: { account_ref_id: ref }, query: { per_page: 1 } });
      const next = await api.get('/transactions/{account_ref_id}', { path: { account_ref_id: ref }, query: { per_page: 1, cursor: cursorPage.body.meta.next_cursor ?? undefined } });
      expect(next.status).toBe(200);
      expect(next.body.data[0].id).toBe(rows[1].id);
      expect((await api.get('/transactions/{account_ref_id}', { path: { account_ref_id: 'NOPE-REF' } })).body.data).toEqual([]);
      // Another tenant sees none of it.
      expect((await api.as(otherKey).get('/transactions/{account_ref_id}', { path: { account_ref_id: ref } })).body.data).toEqual([]);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RenewalsService } from '../../src/modules/subscriptions/renewals.service';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { signUpShop, startAppWithDb } from '../support/fixtures';
import { eventsOfType } from '../support/observe';
import { typedApi, type ErrorDetail, type Schemas } from '../support/typed-api';

const CARD = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };
/** Sandbox card that succeeds when presented but, once saved, declines every off-session charge. */
const DECLINES_LATER = { ...CARD, number: '4000000000000341' };

/**
 * Services through HTTP in test mode (test cards), with the clock injected: renewals, dunning and
 * suspension are driven by calling the renewal job at chosen instants, never by sleeping.
 * Past due is produced by customers with NO saved card (payWithDefaultMethod → paid: false), and by
 * customers whose saved card is the sandbox's 4000000000000341 (saved on-session, declined off-session).
 */
describe('services (e2e)', () => {
  let t: TestApp, db: DataSource, clock: Clock, renewals: RenewalsService, shop: TenantFixture, other: TenantFixture;
  let key: string; // ck_test_ key of the shop
  let otherKey: string;
  let liveToken: string;
  let productId: string;
  let singleProductId: string;
  const label = `cloud-${randomUUID().slice(0, 8)}`;

  const svc: Record<string, Schemas['Service']> = {};
  const cus: Record<string, { id: string; ref: string }> = {};

  async function customer(name: string): Promise<{ id: string; ref: string }> {
    const ref = `acc-${name}-${randomUUID().slice(0, 8)}`;
    const res = await t.http.post('/api/v1/customers', { email: `${name}-${randomUUID().slice(0, 6)}@example.test`, first_name: name, last_name: 'Test', account_ref_id: ref }, { token: key });
    expect(res.status).toBe(201);
    return { id: res.body.data.id, ref };
  }

  async function createService(body: Record<string, unknown>, tok = key) {
    return t.http.post('/api/v1/services', { product_id: productId, tier: 'basic', ...body }, { token: tok });
  }

  async function get(id: string, tok = key) {
    const res = await t.http.get(`/api/v1/services/${id}`, { token: tok });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  async function invoice(id: string) {
    const res = await t.http.get(`/api/v1/invoices/${id}`, { token: key });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  function pay(invoiceId: string, card = CARD) {
    return t.http.post(`/api/v1/invoices/${invoiceId}/pay`, { payment_method: 'card', card }, { token: key });
  }

  const events = (type: string) => eventsOfType(typedApi(t.http, key), type);

  async function savedCardRef(customerId: string): Promise<string | undefined> {
    const [row] = await db.query('SELECT processor_ref FROM payment_methods WHERE customer_id = $1 AND is_default', [customerId]);
    return row?.processor_ref;
  }

  async function invoicesOfService(serviceId: string): Promise<number> {
    const [row] = await db.query('SELECT count(*)::int AS n FROM invoices WHERE service_id = $1', [serviceId]);
    return row.n;
  }

  const run = () => renewals.renewDue(undefined, shop.tenantId);

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    clock = t.app.get(Clock);
    renewals = t.app.get(RenewalsService);
    clock.set(new Date('2026-04-01T00:00:00Z'));
    shop = await signUpShop(t.http, 'Services shop');
    other = await signUpShop(t.http, 'Other shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    otherKey = (await createApiKey(t.http, other.accessToken, { mode: 'test' })).secret;
    liveToken = shop.accessToken;
    const product = await t.http.post('/api/v1/products', { name: 'Cloud <hosting>', sku: `CLOUD-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: label }, { token: key });
    expect(product.status).toBe(201);
    productId = product.body.data.id;
    for (const [tier, price] of [['basic', 3000], ['pro', 6000], ['mini', 1500]] as const) {
      const res = await t.http.post(`/api/v1/products/${productId}/tiers`, { label_name: tier, name: tier.toUpperCase(), price, billing_cycle: 'monthly' }, { token: key });
      expect(res.status).toBe(201);
    }
    const single = await t.http.post('/api/v1/products', { name: 'Widget', sku: `W-${randomUUID().slice(0, 8)}`, price: 100 }, { token: key });
    singleProductId = single.body.data.id;
    for (const name of ['alice', 'bob', 'dora', 'erin', 'fay', 'gus']) cus[name] = await customer(name);
  });

  afterAll(() => t.close());

  it('creates a pending service with its first invoice; paying it activates the service and saves the card', async () => {
    const res = await createService({ customer_id: cus.alice.id });
    expect(res.status).toBe(201);
    const s = res.body.data;
    expect(s).toMatchObject({
      status: 'pending', tier: 'basic', billing_cycle: 'monthly', price: 3000, currency: 'usd', livemode: false,
      current_period_start: '2026-04-01T00:00:00.000Z', current_period_end: '2026-05-01T00:00:00.000Z', credit_balance: 0,
    });
    expect(s.id).toMatch(/^svc_/);
    const first = await invoice(s.latest_invoice_id);
    expect(first).toMatchObject({ status: 'open', total: 3000, service_id: s.id, customer_id: cus.alice.id });
    const paid = await pay(first.id);
    expect(paid.status).toBe(200);
    expect(paid.body.data.status).toBe('paid');
    expect(await get(s.id)).toMatchObject({ status: 'active', activated_at: '2026-04-01T00:00:00.000Z' });
    svc.alice = s;
    expect((await events('service.created')).map((e) => e.data.object.id)).toContain(s.id);
  });

  it('creates active services with activate: true and prices another billing cycle by the ratio of months', async () => {
    const yearly = await createService({ customer_id: cus.alice.id, tier: 'mini', billing_cycle: 'yearly', activate: true });
    expect(yearly.status).toBe(201);
    expect(yearly.body.data).toMatchObject({ status: 'active', billing_cycle: 'yearly', price: 18000, current_period_end: '2027-04-01T00:00:00.000Z' });
    svc.aliceYearly = yearly.body.data;
    // Proration subject: alice, basic monthly, active; its first invoice is paid with the saved card.
    const c = await createService({ customer_id: cus.alice.id, activate: true });
    expect(c.status).toBe(201);
    svc.prorated = c.body.data;
    expect((await pay(c.body.data.latest_invoice_id)).body.data.status).toBe('paid');
    // No saved card: bob and dora (their first invoices are voided; renewals will fail).
    for (const name of ['bob', 'dora']) {
      const r = await createService({ customer_id: cus[name].id, activate: true });
      expect(r.status).toBe(201);
      svc[name] = r.body.data;
      expect((await t.http.post(`/api/v1/invoices/${r.body.data.latest_invoice_id}/void`, undefined, { token: key })).status).toBe(200);
    }
  });

  it('rejects bad input: unknown tier or non-subscription product 422, unknown customer or malformed ids 404', async () => {
    expect((await createService({ customer_id: cus.alice.id, tier: 'platinum' })).status).toBe(422);
    expect((await createService({ customer_id: cus.alice.id, product_id: singleProductId })).status).toBe(422);
    expect((await createService({ customer_id: 'cus_01h0000000000000000000000' })).status).toBe(404);
    expect((await createService({ customer_id: cus.alice.id, product_id: 'nope' })).status).toBe(404);
    expect((await createService({ customer_id: cus.alice.id, billing_cycle: 'weekly' })).status).toBe(422);
    expect((await createService({ customer_id: cus.alice.id, extra: 1 })).status).toBe(422);
    expect((await t.http.get('/api/v1/services/svc_nope', { token: key })).status).toBe(404);
  });

  it('prorates a mid-cycle tier change: monthly 30-day period, 3000 → 6000 after 10 days = credit 2000, charge 4000, net 2000', async () => {
    clock.set(new Date('2026-04-11T00:00:00Z'));
    const res = await t.http.patch(`/api/v1/services/${svc.prorated.id}`, { tier: 'pro' }, { token: key });
    expect(res.status).toBe(200);
    const s = res.body.data;
    expect(s).toMatchObject({ tier: 'pro', price: 6000, status: 'active', current_period_end: '2026-05-01T00:00:00.000Z', credit_balance: 0 });
    expect(s.last_proration).toMatchObject({
      from_tier: 'basic', to_tier: 'pro', period_days: 30, used_days: 10, unused_days: 20, credit: 2000, charge: 4000, net: 2000, credited: 0,
    });
    const inv = await invoice(s.last_proration.invoice_id);
    expect(inv).toMatchObject({ total: 2000, status: 'paid', service_id: s.id }); // charged to the saved card
    // Downgrade 5 days later (15 of 30 days left): credit 6000×15/30 = 3000, charge 1500×15/30 = 750 → 2250 credit balance.
    clock.set(new Date('2026-04-16T00:00:00Z'));
    const down = await t.http.patch(`/api/v1/services/${svc.prorated.id}`, { tier: 'mini' }, { token: key });
    expect(down.status).toBe(200);
    expect(down.body.data.last_proration).toMatchObject({ unused_days: 15, credit: 3000, charge: 750, net: -2250, credited: 2250, invoice_id: null });
    expect(down.body.data.credit_balance).toBe(2250);
    // Only an active service changes.
    expect((await t.http.patch(`/api/v1/services/${svc.bob.id}`, {}, { token: key })).status).toBe(422);
  });

  it('renews at period end: the next invoice is issued and charged, once per period however often the job runs', async () => {
    clock.set(new Date('2026-05-01T00:00:01Z'));
    await run();
    await run(); // idempotent: a second run at the same time issues nothing more
    const a = await get(svc.alice.id);
    expect(a).toMatchObject({ status: 'active', current_period_start: '2026-05-01T00:00:00.000Z', current_period_end: '2026-06-01T00:00:00.000Z' });
    expect(a.latest_invoice_id).not.toBe(svc.alice.latest_invoice_id);
    expect(await invoice(a.latest_invoice_id)).toMatchObject({ status: 'paid', total: 3000, service_id: a.id });
    expect(await invoicesOfService(a.id)).toBe(2);
    // The credit balance (2250) is deducted from the prorated service's renewal (mini 1500): nothing to invoice, 750 left.
    const p = await get(svc.prorated.id);
    expect(p).toMatchObject({ status: 'active', credit_balance: 750, current_period_end: '2026-06-01T00:00:00.000Z' });
    // The yearly service is not due.
    expect((await get(svc.aliceYearly.id)).current_period_end).toBe('2027-04-01T00:00:00.000Z');
  });

  it('goes past_due when the renewal charge fails; GET /subscriptions/fix gives the invoice link; retries follow the schedule; paying reactivates', async () => {
    const b = await get(svc.bob.id);
    expect(b).toMatchObject({ status: 'past_due', past_due_since: '2026-05-01T00:00:01.000Z', next_retry_at: '2026-05-02T00:00:01.000Z', retry_count: 0 });
    const open = await invoice(b.latest_invoice_id);
    expect(open).toMatchObject({ status: 'open', total: 3000 });
    expect(open.last_payment_error).not.toBeNull();

    const fix = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: cus.bob.ref, subscription_name: label, tier_name: 'basic' } });
    expect(fix.status).toBe(200);
    expect(fix.body.data.url).toBe(open.hosted_invoice_url);

    clock.set(new Date('2026-05-02T00:00:02Z'));
    await run();
    expect(await get(svc.bob.id)).toMatchObject({ status: 'past_due', retry_count: 1, next_retry_at: '2026-05-04T00:00:01.000Z' });

    expect((await pay(open.id)).body.data.status).toBe('paid');
    expect(await get(svc.bob.id)).toMatchObject({ status: 'active', past_due_since: null, next_retry_at: null, retry_count: 0 });
    const none = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: cus.bob.ref, subscription_name: label, tier_name: 'basic' } });
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });

  it('suspends a service unpaid past the grace period; paying its invoice reactivates it (service.unsuspended)', async () => {
    clock.set(new Date('2026-05-07T23:00:00Z'));
    await run();
    expect((await get(svc.dora.id)).status).toBe('past_due'); // 6 days 23 h: still in grace
    clock.set(new Date('2026-05-08T00:00:01Z'));
    await run();
    const d = await get(svc.dora.id);
    expect(d).toMatchObject({ status: 'suspended', suspended_at: '2026-05-08T00:00:01.000Z' });
    expect((await events('service.suspended')).map((e) => e.data.object.id)).toContain(d.id);
    expect((await pay(d.latest_invoice_id)).body.data.status).toBe('paid');
    expect(await get(svc.dora.id)).toMatchObject({ status: 'active', suspended_at: null, past_due_since: null });
    expect((await events('service.unsuspended')).map((e) => e.data.object.id)).toContain(d.id);
  });

  it('suspend / unsuspend / terminate follow the state machine (409 otherwise) and emit events', async () => {
    const created = await createService({ customer_id: cus.erin.id, activate: true });
    const id = created.body.data.id;
    const act = (action: string) => t.http.post(`/api/v1/services/${id}/${action}`, undefined, { token: key });
    expect((await act('unsuspend')).status).toBe(409);
    const s1 = await act('suspend');
    expect(s1.status).toBe(200);
    expect(s1.body.data.status).toBe('suspended');
    const again = await act('suspend');
    expect(again.status).toBe(409);
    expect(again.body.error.details.map((d: ErrorDetail) => d.message)).toEqual(['unsuspend', 'terminate']);
    expect((await act('unsuspend')).body.data.status).toBe('active');
    expect((await act('terminate')).body.data).toMatchObject({ status: 'terminated' });
    expect((await act('terminate')).status).toBe(409);
    expect((await act('unsuspend')).status).toBe(409);
    expect((await t.http.patch(`/api/v1/services/${id}`, { tier: 'pro' }, { token: key })).status).toBe(409);
    for (const type of ['service.suspended', 'service.unsuspended', 'service.terminated']) {
      expect((await events(type)).map((e) => e.data.object.id)).toContain(id);
    }
    // A terminated service is never renewed.
    clock.set(new Date('2026-07-01T00:00:00Z'));
    await run();
    expect((await get(id)).status).toBe('terminated');
    expect(await invoicesOfService(id)).toBe(1);
  });

  it('lists with filters; unknown filter values answer 400', async () => {
    const all = await t.http.get('/api/v1/services', { token: key, query: { customer_id: cus.alice.id } });
    expect(all.status).toBe(200);
    expect(all.body.data.map((s: Schemas['Service']) => s.id).sort()).toEqual([svc.alice.id, svc.aliceYearly.id, svc.prorated.id].sort());
    const yearly = await t.http.get('/api/v1/services', { token: key, query: { billing_cycle: 'yearly' } });
    expect(yearly.body.data.map((s: Schemas['Service']) => s.id)).toEqual([svc.aliceYearly.id]);
    const terminated = await t.http.get('/api/v1/services', { token: key, query: { status: 'terminated' } });
    expect(terminated.body.data).toHaveLength(1);
    const byTier = await t.http.get('/api/v1/services', { token: key, query: { tier: 'mini', sort: 'current_period_end', order: 'asc' } });
    expect(byTier.body.data.map((s: Schemas['Service']) => s.id)).toEqual([svc.prorated.id, svc.aliceYearly.id]);
    expect((await t.http.get('/api/v1/services', { token: key, query: { status: 'frozen' } })).status).toBe(400);
    expect((await t.http.get('/api/v1/services', { token: key, query: { billing_cycle: 'weekly' } })).status).toBe(400);
    expect((await t.http.get('/api/v1/services', { token: key, query: { sort: 'price' } })).status).toBe(400);
  });

  it('holds tenant and mode isolation on every route', async () => {
    const id = svc.alice.id;
    for (const tok of [otherKey, liveToken]) {
      expect((await t.http.get(`/api/v1/services/${id}`, { token: tok })).status).toBe(404);
      expect((await t.http.patch(`/api/v1/services/${id}`, { tier: 'pro' }, { token: tok })).status).toBe(404);
      for (const action of ['suspend', 'unsuspend', 'terminate']) {
        expect((await t.http.post(`/api/v1/services/${id}/${action}`, undefined, { token: tok })).status).toBe(404);
      }
      const list = await t.http.get('/api/v1/services', { token: tok });
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);
      expect((await t.http.post('/api/v1/services', { customer_id: cus.alice.id, product_id: productId, tier: 'basic' }, { token: tok })).status).toBe(404);
    }
    expect((await t.http.get(`/api/v1/services/${id}`)).status).toBe(401);
  });

  it('dunning with a saved card that declines off-session (4000000000000341): past_due, fix link, paying reactivates; unpaid past grace is suspended', async () => {
    // Last, on its own dates: the earlier tests' services renew alongside and are not asserted here.
    clock.set(new Date('2026-08-01T00:00:00Z'));
    for (const name of ['fay', 'gus']) {
      const res = await createService({ customer_id: cus[name].id });
      expect(res.status).toBe(201);
      svc[name] = res.body.data;
      const paid = await pay(res.body.data.latest_invoice_id, DECLINES_LATER);
      expect(paid.status).toBe(200);
      expect(paid.body.data.status).toBe('paid'); // on-session: the card succeeds
      expect(await get(res.body.data.id)).toMatchObject({ status: 'active', current_period_end: '2026-09-01T00:00:00.000Z' });
      expect(await savedCardRef(cus[name].id)).toBe('test:declines_off_session');
    }

    clock.set(new Date('2026-09-01T00:00:01Z'));
    await run();
    const f = await get(svc.fay.id);
    expect(f).toMatchObject({ status: 'past_due', past_due_since: '2026-09-01T00:00:01.000Z', next_retry_at: '2026-09-02T00:00:01.000Z', retry_count: 0 });
    expect(f.latest_invoice_id).not.toBe(svc.fay.latest_invoice_id);
    const open = await invoice(f.latest_invoice_id);
    expect(open).toMatchObject({ status: 'open', total: 3000, service_id: f.id, last_payment_error: { code: 'card_declined' } });
    expect(await invoicesOfService(f.id)).toBe(2);
    expect((await events('invoice.payment_failed')).map((e) => e.data.object.id)).toContain(open.id);

    const fix = await t.http.get('/api/v1/subscriptions/fix', { token: key, query: { account_ref_id: cus.fay.ref, subscription_name: label, tier_name: 'basic' } });
    expect(fix.status).toBe(200);
    expect(fix.body.data.url).toBe(open.hosted_invoice_url);

    expect((await pay(open.id)).body.data.status).toBe('paid');
    expect(await get(svc.fay.id)).toMatchObject({ status: 'active', past_due_since: null, next_retry_at: null, retry_count: 0 });
    expect(await savedCardRef(cus.fay.id)).toBe('test:succeeds');

    const g = await get(svc.gus.id);
    expect(g).toMatchObject({ status: 'past_due', past_due_since: '2026-09-01T00:00:01.000Z' });
    expect((await invoice(g.latest_invoice_id)).last_payment_error).toMatchObject({ code: 'card_declined' });
    clock.set(new Date('2026-09-08T00:00:01Z'));
    await run(); // the due retry charges the saved card again and is declined again; then the grace period is over
    const suspended = await get(svc.gus.id);
    expect(suspended).toMatchObject({ status: 'suspended', suspended_at: '2026-09-08T00:00:01.000Z', retry_count: 1 });
    expect(await invoice(suspended.latest_invoice_id)).toMatchObject({ status: 'open', last_payment_error: { code: 'card_declined' } });
    expect((await events('service.suspended')).map((e) => e.data.object.id)).toContain(suspended.id);
  });
});

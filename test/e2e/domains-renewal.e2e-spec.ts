import { DataSource } from 'typeorm';
import { DomainRenewalsService } from '../../src/modules/domains/domain-renewals.service';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { domainShop, TEST_CARD, type DomainShop } from '../support/domain-fixtures';

/**
 * Expiry arithmetic and the renewal job on an injected clock: the job is called at chosen instants
 * (never slept for). With auto-renew, the renewal invoice is issued DOMAIN_RENEWAL_LEAD_DAYS (30)
 * before expiry; paying it renews the domain on the job's next run.
 */
describe('domain renewals (e2e)', () => {
  let t: TestApp, db: DataSource, clock: Clock, renewals: DomainRenewalsService, shop: DomainShop, alice: string;
  const auth = () => ({ token: shop.key });
  const run = () => renewals.renewDue(undefined, shop.tenant.tenantId);

  async function register(name: string, years: number, extra: Record<string, unknown> = {}) {
    const res = await t.http.post('/api/v1/domains', { name, customer_id: alice, years, ...extra }, auth());
    expect(res.status).toBe(201);
    return res.body.data;
  }
  async function get(id: string) {
    return (await t.http.get(`/api/v1/domains/${id}`, auth())).body.data;
  }
  async function eventsFor(type: string, domainId: string) {
    const res = await t.http.get('/api/v1/events', { token: shop.key, query: { type, per_page: 200 } });
    return (res.body.data as { data: { object: { id: string; expires_at: string } } }[]).filter((e) => e.data.object.id === domainId);
  }

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
    clock = t.app.get(Clock);
    renewals = t.app.get(DomainRenewalsService);
    shop = await domainShop(t, 'Renewals shop');
    alice = await shop.customer('alice');
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
  });

  it('registered on 2028-02-29 for 1 year expires 2029-02-28; renewing counts calendar years from there', async () => {
    clock.set(new Date('2028-02-29T10:00:00Z'));
    const leap = await register('leap-day.com', 1);
    expect(leap).toMatchObject({ registered_at: '2028-02-29T10:00:00.000Z', expires_at: '2029-02-28T10:00:00.000Z' });
    const renewed = await t.http.post(`/api/v1/domains/${leap.id}/renew`, { years: 3 }, auth());
    expect(renewed.status).toBe(200);
    expect(renewed.body.data.expires_at).toBe('2032-02-28T10:00:00.000Z');
    // Four years from a leap day is a leap day again.
    expect((await register('leap-four.com', 4)).expires_at).toBe('2032-02-29T10:00:00.000Z');
    // Across a leap day, a year is still a calendar year (366 days here), not 365 days.
    clock.set(new Date('2027-03-01T00:00:00Z'));
    const across = await register('across-leap.com', 1);
    expect(across.expires_at).toBe('2028-03-01T00:00:00.000Z');
    expect((await t.http.post(`/api/v1/domains/${across.id}/renew`, { years: 2 }, auth())).body.data.expires_at).toBe('2030-03-01T00:00:00.000Z');
  });

  it('auto-renew: invoices 30 days before expiry (once), and renews one year when the invoice is paid', async () => {
    clock.set(new Date('2026-01-10T08:00:00Z'));
    const d = await register('auto.com', 1);
    expect(d).toMatchObject({ auto_renew: true, expires_at: '2027-01-10T08:00:00.000Z', renewal_invoice_id: null });

    clock.set(new Date('2026-12-01T08:00:00Z')); // 40 days before: nothing yet
    await run();
    expect((await get(d.id)).renewal_invoice_id).toBeNull();
    expect(await eventsFor('domain.expiring', d.id)).toHaveLength(0);

    clock.set(new Date('2026-12-15T08:00:00Z')); // 26 days before
    expect((await run()).noticed).toBeGreaterThanOrEqual(1);
    const invoiced = await get(d.id);
    expect(invoiced.renewal_invoice_id).toMatch(/^inv_/);
    expect(invoiced.latest_invoice_id).toBe(invoiced.renewal_invoice_id);
    expect(invoiced.expires_at).toBe('2027-01-10T08:00:00.000Z');
    const invoice = (await t.http.get(`/api/v1/invoices/${invoiced.renewal_invoice_id}`, auth())).body.data;
    expect(invoice).toMatchObject({ status: 'open', total: 1400, customer_id: alice, due_date: '2027-01-10T08:00:00.000Z', email_sent: true });
    expect(invoice.lines[0].description).toBe('Domain renewal auto.com, 1 year (auto-renewal)');
    expect(await eventsFor('domain.expiring', d.id)).toHaveLength(1);

    await run(); // a second run issues nothing more
    expect((await get(d.id)).renewal_invoice_id).toBe(invoiced.renewal_invoice_id);
    expect(await eventsFor('domain.expiring', d.id)).toHaveLength(1);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM invoices WHERE tenant_id = $1 AND customer_id = $2 AND total = 1400`, [shop.tenant.tenantId, alice]);
    expect(n).toBe(1);

    const paid = await t.http.post(`/api/v1/invoices/${invoiced.renewal_invoice_id}/pay`, { payment_method: 'card', card: TEST_CARD }, auth());
    expect(paid.status).toBe(200);
    expect(paid.body.data.status).toBe('paid');
    expect((await run()).renewed).toBeGreaterThanOrEqual(1);
    const renewed = await get(d.id);
    expect(renewed).toMatchObject({ status: 'active', expires_at: '2028-01-10T08:00:00.000Z', renewal_invoice_id: null });
    expect((await eventsFor('domain.renewed', d.id)).map((e) => e.data.object.expires_at)).toEqual(['2028-01-10T08:00:00.000Z']);
    await run();
    expect((await get(d.id)).expires_at).toBe('2028-01-10T08:00:00.000Z'); // paid once, renewed once
  });

  it('unpaid by expiry → expired; paying later renews it from the old expiry and makes it active', async () => {
    clock.set(new Date('2026-02-01T00:00:00Z'));
    const d = await register('late-payer.com', 1);
    clock.set(new Date('2027-01-20T00:00:00Z'));
    await run();
    const invoiceId = (await get(d.id)).renewal_invoice_id;
    expect(invoiceId).toMatch(/^inv_/);

    clock.set(new Date('2027-02-01T00:00:01Z'));
    expect((await run()).expired).toBeGreaterThanOrEqual(1);
    expect((await get(d.id)).status).toBe('expired');
    expect(await eventsFor('domain.expired', d.id)).toHaveLength(1);

    expect((await t.http.post(`/api/v1/invoices/${invoiceId}/pay`, { payment_method: 'card', card: TEST_CARD }, auth())).body.data.status).toBe('paid');
    await run();
    expect(await get(d.id)).toMatchObject({ status: 'active', expires_at: '2028-02-01T00:00:00.000Z', renewal_invoice_id: null });
  });

  it('without auto-renew: one expiring notice and no invoice, then expired', async () => {
    clock.set(new Date('2026-03-01T00:00:00Z'));
    const d = await register('manual.com', 1, { auto_renew: false });
    clock.set(new Date('2027-02-20T00:00:00Z'));
    await run();
    await run();
    expect(await get(d.id)).toMatchObject({ status: 'active', renewal_invoice_id: null });
    expect(await eventsFor('domain.expiring', d.id)).toHaveLength(1);
    clock.set(new Date('2027-03-01T00:00:00Z'));
    await run();
    expect((await get(d.id)).status).toBe('expired');
    // Renewing an expired domain by hand counts from its old expiry and reactivates it.
    const renewed = await t.http.post(`/api/v1/domains/${d.id}/renew`, { years: 1 }, auth());
    expect(renewed.body.data).toMatchObject({ status: 'active', expires_at: '2028-03-01T00:00:00.000Z' });
  });

  it('backs off a domain whose step keeps failing, without holding up the others', async () => {
    clock.set(new Date('2026-04-01T00:00:00Z'));
    const broken = await register('broken.com', 1);
    const healthy = await register('healthy.com', 1);
    // The registrant vanished under the domain: issuing its renewal invoice fails (404 customer).
    await db.query(`UPDATE domains SET customer_id = 'cus_01h2xcejqtf2nbrexx3vqjhp41' WHERE id = $1`, [broken.id]);
    const at = new Date('2027-03-20T00:00:00Z');
    clock.set(at);
    await run();
    expect((await get(healthy.id)).renewal_invoice_id).toMatch(/^inv_/);
    const state = async () => (await db.query('SELECT sweep_failures, sweep_retry_at FROM domains WHERE id = $1', [broken.id]))[0];
    expect(await state()).toMatchObject({ sweep_failures: 1, sweep_retry_at: new Date(at.getTime() + 60_000) });
    await run(); // backed off: not tried again yet
    expect((await state()).sweep_failures).toBe(1);
    clock.set(new Date(at.getTime() + 61_000));
    await run();
    expect(await state()).toMatchObject({ sweep_failures: 2, sweep_retry_at: new Date(at.getTime() + 61_000 + 120_000) });
  });
});

import type { DataSource } from 'typeorm';
import { analyticsRows, customerTruth, reportFigures } from '../support/analytics-customer-truth';
import { AnalyticsShop, type StoredEvent } from '../support/analytics-fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { ownerDb } from '../support/owner-db';
import type { Schemas } from '../support/typed-api';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ymd = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Issue 20, the customers report at scale: it reads rollups (cohorts, geography, recency and the
 * returns grid) kept from the order events. Orders of several customers are placed through the API
 * and moved in time (in the orders and in their events' snapshots), around the edges of a New York
 * range — the hours of its first and last UTC day — with a cancellation in the middle of a
 * customer's orders and two orders of one customer at the same instant. Whatever the order the
 * events arrive in, replayed or not, and after a rebuild, the report equals the figures computed
 * from the orders, and the rows kept are the same.
 */
describe('analytics customer rollups (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
  });
  afterAll(async () => {
    await t.close();
  });

  async function boundsOf(startDate: string, endDate: string, timezone: string): Promise<{ start: Date; end: Date }> {
    const [row] = await db.query(`SELECT ($1::date::timestamp AT TIME ZONE $3) AS start, (($2::date + 1)::timestamp AT TIME ZONE $3) AS end`, [startDate, endDate, timezone]);
    return { start: new Date(row.start), end: new Date(row.end) };
  }

  /** The shop's orders at chosen instants, and its events with their order snapshots moved to the same instants. */
  async function shopAroundRange(name: string, s: number, e: number, now: number): Promise<{ shop: AnalyticsShop; events: StoredEvent[] }> {
    const shop = await new AnalyticsShop(t, db).setUp(name, 9);
    const placedAt = new Map<string, number>();
    const place = async (customer: number, at: number, where: [string, string] = ['US', 'NY'], currency: 'usd' | 'eur' = 'usd') => {
      const order = await shop.order(currency, 1 + (placedAt.size % 3), { customer, country: where[0], region: where[1] });
      placedAt.set(order.id, at);
      return order;
    };
    const first = await place(0, s - 40 * DAY);
    await shop.refund(await shop.pay(first, 'usd'), 700);
    await place(0, s + 3 * DAY, ['US', 'CA']);
    await place(0, e - HOUR, ['CA', 'ON']); // in the hours of the range's last UTC day
    await place(0, e + HOUR, ['CA', 'ON']); // after the range
    await place(1, s - 2 * HOUR); // in the hours of the first UTC day before the range starts
    await place(1, s + HOUR);
    await place(2, s - 3 * DAY, ['FR', 'IDF']);
    await place(2, e - HOUR, ['FR', 'IDF']);
    await place(3, s + HOUR, ['GB', 'LND']);
    await place(4, s - 10 * DAY);
    await shop.cancel((await place(4, s + 5 * DAY)).id);
    await place(5, s - 100 * DAY, ['DE', 'BE'], 'eur');
    await place(5, s + 2 * DAY, ['DE', 'BE'], 'eur');
    await place(6, s - 5 * DAY, ['DE', 'BY']); // two orders at the same instant: the larger order id's address is the latest
    await place(6, s - 5 * DAY, ['FR', 'IDF']);
    await place(7, s - 20 * DAY);
    await shop.cancel((await place(7, s + DAY)).id); // the middle one of three
    await place(7, s + 4 * DAY, ['NL', 'NH']);
    await place(8, now - 150 * DAY, ['ES', 'MD']); // at risk
    for (const [id, at] of placedAt) {
      await db.query(`UPDATE orders SET created_at = $3 WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, id, new Date(at)]);
    }
    const events = (await shop.events()).map((ev) => {
      const object = ev.data.object as { id?: string; created_at?: string };
      const at = object.id ? placedAt.get(object.id) : undefined;
      return at === undefined ? ev : { ...ev, data: { ...ev.data, object: { ...object, created_at: new Date(at).toISOString() } } };
    });
    return { shop, events };
  }

  /** A fixed shuffle: each order's events arrive out of order, and orders of one customer too. */
  function shuffled<T>(items: T[]): T[] {
    return items.map((item, i) => ({ item, key: (i * 7919) % 101 })).sort((a, b) => a.key - b.key).map((x) => x.item);
  }

  async function expectTruth(shop: AnalyticsShop, query: { start_date: string; end_date: string; timezone: string; currency?: string }) {
    const res = await shop.get('/api/v1/analytics/customers', query);
    expect(res.status).toBe(200);
    const bounds = await boundsOf(query.start_date, query.end_date, query.timezone);
    const truth = (await customerTruth(db, shop.tenantId, bounds, new Date(Date.now() - 90 * DAY), query.timezone))
      .filter((c) => !query.currency || c.currency === query.currency);
    expect({ query, figures: reportFigures(res.body.data) }).toEqual({ query, figures: truth });
    return res.body.data;
  }

  it('equals the orders\' figures for ranges whose edges cut UTC days, whatever the order of the events; replays change nothing; a rebuild keeps the same rows', async () => {
    const now = Date.now();
    const ny = { start_date: ymd(now - 60 * DAY), end_date: ymd(now - 31 * DAY), timezone: 'America/New_York' };
    const { start: s, end: e } = await boundsOf(ny.start_date, ny.end_date, ny.timezone);
    expect(s.getUTCHours()).toBeGreaterThan(0); // the range starts and ends inside UTC days
    const { shop, events } = await shopAroundRange('Customer rollups', s.getTime(), e.getTime(), now);
    expect(await shop.rollUp(shuffled(events))).toBeGreaterThan(20);

    const queries = [
      ny,
      { ...ny, currency: 'usd' },
      { start_date: ny.start_date, end_date: ny.end_date, timezone: 'UTC' },
      { start_date: ymd(now - 45 * DAY), end_date: ymd(now - 2 * DAY), timezone: 'Europe/Berlin' },
      { start_date: ymd(now - 400 * DAY), end_date: ymd(now), timezone: 'Asia/Tokyo' },
      { start_date: ymd(now - 29 * DAY), end_date: ymd(now), timezone: 'UTC' },
    ];
    const reports = [];
    for (const query of queries) reports.push(await expectTruth(shop, query));
    // Hand-checked in the New York range: customers 0, 1, 2, 5 (eur) and 7 came back; 3 is new; 4's only order in the range was cancelled.
    const byCurrency = Object.fromEntries(reports[0].currencies.map((c: Schemas['CustomersReport']['currencies'][number]) => [c.currency, c]));
    expect([byCurrency.usd.returning_customers, byCurrency.usd.new_customers, byCurrency.eur.returning_customers]).toEqual([4, 1, 1]);
    expect(byCurrency.usd.at_risk.customers).toBe(1);

    const kept = await analyticsRows(db, shop.tenantId);
    await shop.rollUp(events);
    await shop.rollUp([...events].reverse());
    await shop.rollUp([events[events.length - 1]]);
    expect(await analyticsRows(db, shop.tenantId)).toEqual(kept);

    expect(await shop.rebuild()).toEqual({ orders: 19 });
    expect(await analyticsRows(db, shop.tenantId)).toEqual(kept);
    for (const [i, query] of queries.entries()) {
      expect((await shop.get('/api/v1/analytics/customers', query)).body.data).toEqual(reports[i]);
    }
  });

  it('a cancellation moves the customer\'s first order, cohort and returns; cancelling their only order removes them', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Cancelled customers', 2);
    const a = await shop.order('usd', 1, { customer: 0 });
    const b = await shop.order('usd', 2, { customer: 0, country: 'CA', region: 'ON' });
    const only = await shop.order('usd', 1, { customer: 1, country: 'DE', region: 'BE' });
    const lastMonth = Date.now() - 40 * DAY;
    await db.query(`UPDATE orders SET created_at = $3 WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, a.id, new Date(lastMonth)]);
    await shop.rebuild();
    const today = { start_date: ymd(Date.now() - 29 * DAY), end_date: ymd(Date.now()), timezone: 'UTC' };
    const before = await expectTruth(shop, today);
    expect(before.currencies[0]).toMatchObject({ customers: 2, new_customers: 1, returning_customers: 1 });

    await shop.cancel(a.id);
    await shop.cancel(only.id);
    // Every event on top of the rebuilt rollups: only the cancellations are newer than what the rebuild read.
    const moved = (await shop.events()).map((ev) => {
      const object = ev.data.object as { id?: string };
      return object.id === a.id ? { ...ev, data: { ...ev.data, object: { ...object, created_at: new Date(lastMonth).toISOString() } } } : ev;
    });
    await shop.rollUp(moved);
    const after = await expectTruth(shop, today);
    expect(after.currencies[0]).toMatchObject({ customers: 1, new_customers: 1, returning_customers: 0 });
    expect(after.currencies[0].geography).toEqual([expect.objectContaining({ country: 'CA', region: 'ON', customers: 1, orders: 1 })]);
    const kept = await analyticsRows(db, shop.tenantId);
    await shop.rebuild();
    expect(await analyticsRows(db, shop.tenantId)).toEqual(kept);
    expect(b.id).toBeTruthy();
  });

  it('refuses cohorts in a zone that was off the whole hour when a customer first ordered, naming the timezone', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Caracas cohorts', 1);
    const order = await shop.order('usd', 1);
    // Venezuela kept UTC−4:30 from December 2007 to May 2016; today it is UTC−4.
    await db.query(`UPDATE orders SET created_at = '2012-06-01T12:00:00Z' WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, order.id]);
    await shop.rebuild();
    const res = await shop.get('/api/v1/analytics/customers', { timezone: 'America/Caracas' });
    expect({ status: res.status, field: res.body.error?.field }).toEqual({ status: 400, field: 'timezone' });
    expect((await shop.get('/api/v1/analytics/customers', { timezone: 'America/New_York' })).status).toBe(200);
  });
});

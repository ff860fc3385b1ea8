import type { DataSource } from 'typeorm';
import { analyticsRows } from '../support/analytics-customer-truth';
import { AnalyticsShop } from '../support/analytics-fixtures';
import { startTestApp, type TestApp } from '../support/app';
import { ownerDb } from '../support/owner-db';
import type { Schemas } from '../support/typed-api';

/**
 * Issue 20 at scale: long ranges read the rollups of whole UTC days and months and only the hours
 * at their edges. Orders sit next to the places where that could go wrong — a local month or
 * week that starts inside a UTC day (Berlin, New York, Tokyo), a daylight-saving change inside a
 * month — and every report must still equal the orders grouped by the zone's calendar, whether
 * the rollups were kept from the events or rebuilt.
 */
/** A row of the custom report asked for below: the dimensions asked, and orders and revenue per currency. */
type CustomRow = { currency: string; orders: number; revenue: number; [dimension: string]: string | number | null };
/** What the comparisons sort by. */
type PeriodRow = { key: string; currency: string };

describe('analytics period rollups (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    db = await ownerDb();
  });
  afterAll(async () => {
    await t.close();
  });

  const PLACED = [
    '2025-12-31T22:59:00.000Z', '2025-12-31T23:00:00.000Z', // New Year in Berlin (UTC+1)
    '2026-01-15T12:00:00.000Z', '2026-02-28T22:30:00.000Z', // March 1st, 00:30 in Berlin
    '2026-03-01T04:30:00.000Z', '2026-03-01T05:30:00.000Z', // either side of midnight in New York (UTC−5)
    '2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z', // Berlin's spring change (01:00 UTC)
    '2026-03-31T21:59:00.000Z', '2026-03-31T22:00:00.000Z', // April 1st begins in Berlin (UTC+2)
    '2026-04-30T15:00:00.000Z', '2026-04-30T15:30:00.000Z', // May 1st begins in Tokyo (UTC+9)
    '2026-05-20T08:00:00.000Z', '2026-06-30T23:30:00.000Z',
  ];

  /** The orders' own figures grouped by the zone's calendar unit, in [start, end) of local dates. */
  async function truth(shop: AnalyticsShop, unit: string, label: string, timezone: string, startDate: string, endDate: string, extra = '') {
    const rows: { key: string; currency: string; orders: number; revenue: number }[] = await db.query(
      `SELECT o.currency, to_char(date_trunc($2, o.created_at AT TIME ZONE $4), $3) ${extra} AS key, count(*)::int AS orders, sum(o.total)::int AS revenue
         FROM orders o ${extra ? `JOIN LATERAL (SELECT o.shipping_address ->> 'country' AS country) c ON true` : ''}
        WHERE o.tenant_id = $1 AND o.mode = 'test' AND o.status <> 'cancelled'
          AND o.created_at >= ($5::date::timestamp AT TIME ZONE $4) AND o.created_at < (($6::date + 1)::timestamp AT TIME ZONE $4)
        GROUP BY 1, 2`,
      [shop.tenantId, unit, label, timezone, startDate, endDate],
    );
    return rows.sort((a, b) => a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency));
  }

  async function custom(shop: AnalyticsShop, dimensions: string[], filters: Record<string, string>) {
    const res = await t.http.post('/api/v1/analytics/custom', { dimensions, measures: ['orders', 'revenue'], filters, sort: { field: dimensions[0], order: 'asc' }, limit: 1000 }, { token: shop.key });
    expect(res.status).toBe(200);
    return res.body.data.rows.map((r: CustomRow) => ({ currency: r.currency, key: dimensions.map((d) => r[d]).join(' '), orders: r.orders, revenue: r.revenue }))
      .sort((a: PeriodRow, b: PeriodRow) => a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency));
  }

  async function expectEveryReportToMatch(shop: AnalyticsShop) {
    const cases: [string, string, string, string, string, string][] = [
      ['month', 'month', 'YYYY-MM', 'Europe/Berlin', '2025-12-01', '2026-06-30'],
      ['week', 'week', 'IYYY-"W"IW', 'America/New_York', '2026-02-01', '2026-05-31'],
      ['quarter', 'quarter', 'YYYY-"Q"Q', 'Asia/Tokyo', '2025-10-01', '2026-06-30'],
      ['day', 'day', 'YYYY-MM-DD', 'UTC', '2025-12-31', '2026-07-01'],
      ['year', 'year', 'YYYY', 'Europe/Berlin', '2025-01-01', '2026-12-31'],
    ];
    for (const [dimension, unit, label, timezone, start, end] of cases) {
      const expected = await truth(shop, unit, label, timezone, start, end);
      expect({ dimension, timezone, rows: await custom(shop, [dimension], { start_date: start, end_date: end, timezone }) }).toEqual({ dimension, timezone, rows: expected });
      if (dimension === 'year') continue;
      const sales = await shop.get('/api/v1/analytics/sales', { period: dimension, start_date: start, end_date: end, timezone, metrics: 'orders,revenue' });
      const series = sales.body.data.currencies.flatMap((c: Schemas['SalesCurrencyReport']) => c.series.filter((b) => b.metrics.orders! > 0)
        .map((b) => ({ currency: c.currency, key: b.label, orders: b.metrics.orders, revenue: b.metrics.revenue })))
        .sort((a: PeriodRow, b: PeriodRow) => a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency));
      expect({ dimension, timezone, series }).toEqual({ dimension, timezone, series: expected });
    }
    // A month in Berlin by country (region rollups), and a whole range by product (product rollups).
    const byCountry = await truth(shop, 'month', 'YYYY-MM', 'Europe/Berlin', '2026-01-01', '2026-04-30', `|| ' ' || c.country`);
    expect(await custom(shop, ['month', 'country'], { start_date: '2026-01-01', end_date: '2026-04-30', timezone: 'Europe/Berlin' })).toEqual(byCountry);
    const products = await shop.get('/api/v1/analytics/products', { start_date: '2026-01-01', end_date: '2026-04-30', timezone: 'America/New_York' });
    const inRange = await truth(shop, 'year', '"all"', 'America/New_York', '2026-01-01', '2026-04-30');
    expect(products.body.data.currencies.map((c: Schemas['ProductsReport']['currencies'][number]) => ({ currency: c.currency, key: 'all', orders: c.products[0].orders, revenue: c.products[0].revenue })))
      .toEqual(inRange);
  }

  it('custom, sales and products reports equal the orders by the zone\'s calendar, from the events and after a rebuild', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Period rollups', 1);
    const placedAt = new Map<string, string>();
    for (const [i, at] of PLACED.entries()) {
      const order = await shop.order(i % 4 === 3 ? 'eur' : 'usd', 1 + (i % 2), { country: i % 3 === 0 ? 'DE' : 'US', region: 'X' });
      placedAt.set(order.id, at);
      await db.query(`UPDATE orders SET created_at = $3 WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, order.id, at]);
      if (i === 5) await shop.cancel(order.id);
    }
    const events = (await shop.events()).map((ev) => {
      const object = ev.data.object as { id?: string };
      const at = object.id ? placedAt.get(object.id) : undefined;
      return at ? { ...ev, data: { ...ev.data, object: { ...object, created_at: at } } } : ev;
    });
    await shop.rollUp(events);
    await expectEveryReportToMatch(shop);
    const kept = await analyticsRows(db, shop.tenantId);
    await shop.rebuild();
    expect(await analyticsRows(db, shop.tenantId)).toEqual(kept);
    await expectEveryReportToMatch(shop);
  });
});

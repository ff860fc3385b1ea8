import type { DataSource } from 'typeorm';
import { AnalyticsShop } from '../support/analytics-fixtures';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import type { ErrorDetail, Schemas } from '../support/typed-api';

/**
 * Issue 20: buckets are calendar periods of the asked time zone — a day that straddles a
 * daylight-saving change is 23 or 25 hours long and holds exactly the orders placed in it — and the
 * custom report takes only whitelisted names. Orders are placed through the API, moved in time
 * in the orders table, and rolled up by a rebuild from the orders.
 */
describe('analytics calendars and custom reports (e2e)', () => {
  let t: TestApp, db: DataSource;
  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  /** Orders of the shop placed at these instants (UTC), then rolled up from the orders. */
  async function placedAt(shop: AnalyticsShop, instants: string[], currency: 'usd' | 'eur' = 'usd'): Promise<void> {
    for (const at of instants) {
      const order = await shop.order(currency, 1);
      await db.query(`UPDATE orders SET created_at = $3 WHERE tenant_id = $1 AND id = $2`, [shop.tenantId, order.id, at]);
    }
    await shop.rebuild();
  }

  it('a New York day that loses an hour to daylight saving (2026-03-08) is 23 hours and holds exactly its orders', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('DST spring');
    await placedAt(shop, [
      '2026-03-08T04:59:59.000Z', // 23:59:59 EST on the 7th
      '2026-03-08T05:00:00.000Z', // midnight EST: the 8th begins
      '2026-03-08T06:59:00.000Z', // 01:59 EST, the last minute before the clocks jump to 03:00 EDT
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-09T03:59:59.000Z', // 23:59:59 EDT on the 8th
      '2026-03-09T04:00:00.000Z', // midnight EDT: the 9th
    ]);
    const res = await shop.get('/api/v1/analytics/sales', { period: 'day', start_date: '2026-03-07', end_date: '2026-03-09', timezone: 'America/New_York', metrics: 'orders,revenue' });
    expect(res.status).toBe(200);
    const series = res.body.data.currencies[0].series;
    expect(series).toEqual([
      { label: '2026-03-07', start: '2026-03-07T05:00:00.000Z', end: '2026-03-08T05:00:00.000Z', metrics: { orders: 1, revenue: 2500 } },
      { label: '2026-03-08', start: '2026-03-08T05:00:00.000Z', end: '2026-03-09T04:00:00.000Z', metrics: { orders: 4, revenue: 10000 } },
      { label: '2026-03-09', start: '2026-03-09T04:00:00.000Z', end: '2026-03-10T04:00:00.000Z', metrics: { orders: 1, revenue: 2500 } },
    ]);
    // The same orders in UTC days: the 8th holds five of them.
    const utc = await shop.get('/api/v1/analytics/sales', { period: 'day', start_date: '2026-03-08', end_date: '2026-03-09', metrics: 'orders' });
    expect(utc.body.data.currencies[0].series.map((b: Schemas['SalesBucket']) => b.metrics.orders)).toEqual([4, 2]);
    expect(utc.body.data.currencies[0].totals).toEqual({ orders: 6 });
  });

  it('a Berlin day that gains an hour (2026-10-25) is 25 hours; months and weeks follow the zone', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('DST autumn');
    await placedAt(shop, ['2026-10-24T21:59:00.000Z', '2026-10-24T22:00:00.000Z', '2026-10-25T22:59:00.000Z', '2026-10-25T23:00:00.000Z']);
    const day = await shop.get('/api/v1/analytics/sales', { period: 'day', start_date: '2026-10-25', end_date: '2026-10-25', timezone: 'Europe/Berlin', metrics: 'orders' });
    expect(day.body.data.currencies[0].series).toEqual([
      { label: '2026-10-25', start: '2026-10-24T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z', metrics: { orders: 2 } },
    ]);
    const month = await shop.get('/api/v1/analytics/sales', { period: 'month', start_date: '2026-10-01', end_date: '2026-11-30', timezone: 'Europe/Berlin', metrics: 'orders' });
    expect(month.body.data.currencies[0].series.map((b: Schemas['SalesBucket']) => [b.label, b.metrics.orders])).toEqual([['2026-10', 4], ['2026-11', 0]]);
    const week = await shop.get('/api/v1/analytics/sales', { period: 'week', start_date: '2026-10-19', end_date: '2026-10-26', timezone: 'Europe/Berlin', metrics: 'orders' });
    expect(week.body.data.currencies[0].series.map((b: Schemas['SalesBucket']) => [b.label, b.metrics.orders])).toEqual([['2026-W43', 3], ['2026-W44', 1]]);
  });

  it('refuses unknown zones, zones off the whole hour, unknown metrics and a custom period without dates, naming the parameter', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Bad queries');
    const cases: [Record<string, string>, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ timezone: 'Asia/Kolkata' }, 'timezone'],
      [{ metrics: 'revenue,profit' }, 'metrics'],
      [{ period: 'custom', end_date: '2026-01-01' }, 'start_date'],
      [{ start_date: '2026-02-01', end_date: '2026-01-01' }, 'start_date'],
    ];
    for (const [query, field] of cases) {
      const res = await shop.get('/api/v1/analytics/sales', query);
      expect({ query, status: res.status, field: res.body.error.field }).toEqual({ query, status: 400, field });
    }
  });

  it('custom reports sum the rollups by whitelisted dimensions and refuse unknown names, all of them at once', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Custom reports');
    await placedAt(shop, ['2026-01-15T12:00:00.000Z', '2026-01-20T12:00:00.000Z', '2026-02-03T12:00:00.000Z']);
    await placedAt(shop, ['2026-02-04T12:00:00.000Z'], 'eur');
    const res = await t.http.post('/api/v1/analytics/custom', {
      dimensions: ['month'], measures: ['revenue', 'orders', 'avg_order_value'],
      filters: { start_date: '2026-01-01', end_date: '2026-02-28' }, sort: { field: 'month', order: 'asc' },
    }, { token: shop.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      dimensions: ['currency', 'month'], measures: ['revenue', 'orders', 'avg_order_value'],
      rows: [
        { currency: 'eur', month: '2026-02', revenue: 1999, orders: 1, avg_order_value: 1999 },
        { currency: 'usd', month: '2026-01', revenue: 5000, orders: 2, avg_order_value: 2500 },
        { currency: 'usd', month: '2026-02', revenue: 2500, orders: 1, avg_order_value: 2500 },
      ].sort((a, b) => a.month.localeCompare(b.month) || a.currency.localeCompare(b.currency)),
    });
    const perProduct = await t.http.post('/api/v1/analytics/custom', {
      dimensions: ['product_id'], measures: ['units'], filters: { start_date: '2026-01-01', end_date: '2026-01-31', currency: 'usd' },
    }, { token: shop.key });
    expect(perProduct.body.data.rows).toEqual([{ currency: 'usd', product_id: shop.products.usd, units: 2 }]);

    const bad = await t.http.post('/api/v1/analytics/custom', {
      dimensions: ['month', 'password'], measures: ['revenue', 'revenue; DROP TABLE orders'], filters: { colour: 'red' }, sort: { field: 'margin' },
    }, { token: shop.key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.details.map((d: ErrorDetail) => d.field)).toEqual(['dimensions[1]', 'measures[1]', 'filters.colour', 'sort.field']);
    expect(bad.body.error.message).toContain("unknown dimension 'password'");
  });

  it('another tenant sees none of these sales', async () => {
    const shop = await new AnalyticsShop(t, db).setUp('Isolated A');
    await placedAt(shop, ['2026-01-15T12:00:00.000Z']);
    const other = await new AnalyticsShop(t, db).setUp('Isolated B', 0);
    const res = await other.get('/api/v1/analytics/sales', { period: 'custom', start_date: '2026-01-01', end_date: '2026-01-31' });
    expect(res.body.data.currencies).toEqual([]);
    const mine = await shop.get('/api/v1/analytics/sales', { period: 'custom', start_date: '2026-01-01', end_date: '2026-01-31', metrics: 'orders' });
    expect(mine.body.data.currencies[0].totals).toEqual({ orders: 1 });
  });
});

import type { DataSource } from 'typeorm';
import { AnalyticsShop } from '../support/analytics-fixtures';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import type { Schemas } from '../support/typed-api';

/**
 * Issue 20: the reports are exact — their totals equal the sums of the orders they summarise, per
 * currency, across payments, partial and full refunds and cancellations — whether the rollups were
 * kept from the order events (in any order, any number of times) or rebuilt from the orders.
 */
/** A bucket or group with the metrics a report was asked for (all of them by default). */
type Metered = { metrics: Record<string, number> };

describe('analytics reports are exact (e2e)', () => {
  let t: TestApp, db: DataSource;
  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  /** Two currencies, a partial refund, a full refund, an unpaid cancellation and a paid one refunded on cancel. */
  async function busyShop(name: string): Promise<AnalyticsShop> {
    const shop = await new AnalyticsShop(t, db).setUp(name);
    const o1 = await shop.order('usd', 2);
    await shop.refund(await shop.pay(o1, 'usd'), 1200);
    const o2 = await shop.order('usd', 1, { customer: 1, region: 'CA' });
    await shop.refund(await shop.pay(o2, 'usd'));
    const o3 = await shop.order('usd', 3);
    await shop.cancel(o3.id);
    await shop.order('usd', 4, { customer: 1, country: 'CA', region: 'ON' });
    const o5 = await shop.order('eur', 1, { country: 'DE', region: 'BE' });
    await shop.refund(await shop.pay(o5, 'eur'), 999);
    const o6 = await shop.order('eur', 2, { customer: 1, country: 'DE', region: 'BE' });
    await shop.pay(o6, 'eur');
    await shop.cancel(o6.id, true);
    return shop;
  }

  async function salesTotals(shop: AnalyticsShop, groupBy?: string) {
    const res = await shop.get('/api/v1/analytics/sales', { period: 'day', group_by: groupBy });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('sales totals, series and every grouping add up to the orders, per currency', async () => {
    const shop = await busyShop('Exact sales');
    expect(await shop.rollUp()).toBeGreaterThan(10);
    const expected = await shop.orderTotals();
    expect(Object.keys(expected).sort()).toEqual(['eur', 'usd']);
    const report = await salesTotals(shop);
    expect(report.currencies.map((c: Schemas['SalesCurrencyReport']) => c.currency)).toEqual(['eur', 'usd']);
    for (const c of report.currencies) {
      const e = expected[c.currency];
      expect(c.totals).toEqual({
        revenue: e.revenue, orders: e.orders, units: e.units, refunds: e.refunds, net_revenue: e.revenue - e.refunds,
        cancelled_orders: e.cancelled, avg_order_value: Math.round(e.revenue / e.orders),
      });
      const sum = (key: string) => c.series.reduce((s: number, b: Metered) => s + b.metrics[key], 0);
      expect([sum('revenue'), sum('orders'), sum('refunds')]).toEqual([e.revenue, e.orders, e.refunds]);
    }
    // Hand-computed: usd 5000 + 2500 + 10000 (7500 cancelled), refunds 1200 + 2500; eur 1999, refund 999 (3998 cancelled).
    expect(expected.usd).toEqual({ revenue: 17500, orders: 3, refunds: 3700, cancelled: 1, units: 7 });
    expect(expected.eur).toEqual({ revenue: 1999, orders: 1, refunds: 999, cancelled: 1, units: 1 });

    for (const groupBy of ['product', 'category', 'customer', 'region']) {
      const grouped = await salesTotals(shop, groupBy);
      for (const c of grouped.currencies) {
        const sum = (key: string) => c.groups.reduce((s: number, g: Metered) => s + g.metrics[key], 0);
        expect({ groupBy, revenue: sum('revenue'), refunds: sum('refunds'), units: sum('units') })
          .toEqual({ groupBy, revenue: expected[c.currency].revenue, refunds: expected[c.currency].refunds, units: expected[c.currency].units });
      }
    }
    const byRegion = await salesTotals(shop, 'region');
    expect(byRegion.currencies[1].groups.map((g: Schemas['SalesGroup']) => [g.key, g.metrics.revenue])).toEqual([['CA/ON', 10000], ['US/NY', 5000], ['US/CA', 2500]]);
  });

  it('replayed, reversed and duplicated events change nothing, and a rebuild from the orders gives the same reports', async () => {
    const shop = await busyShop('Idempotent rollups');
    const events = await shop.events();
    await shop.rollUp([...events].reverse()); // the newest state first: older snapshots must not overwrite it
    const afterReverse = await salesTotals(shop, 'product');
    await shop.rollUp(events);
    await shop.rollUp(events);
    expect(await salesTotals(shop, 'product')).toEqual(afterReverse);
    const expected = await shop.orderTotals();
    expect(afterReverse.currencies.find((c: Schemas['SalesCurrencyReport']) => c.currency === 'usd').totals.revenue).toBe(expected.usd.revenue);

    const customersBefore = (await shop.get('/api/v1/analytics/customers')).body.data;
    const productsBefore = (await shop.get('/api/v1/analytics/products')).body.data;
    expect(await shop.rebuild()).toEqual({ orders: 6 });
    expect(await salesTotals(shop, 'product')).toEqual(afterReverse);
    expect((await shop.get('/api/v1/analytics/customers')).body.data).toEqual(customersBefore);
    expect((await shop.get('/api/v1/analytics/products')).body.data).toEqual(productsBefore);
  });

  it('products and customers reports agree with the orders', async () => {
    const shop = await busyShop('Exact products');
    await shop.rollUp();
    const products = (await shop.get('/api/v1/analytics/products', { sort: 'units' })).body.data;
    const usd = products.currencies.find((c: Schemas['ProductsReport']['currencies'][number]) => c.currency === 'usd').products;
    expect(usd).toEqual([expect.objectContaining({
      product_id: shop.products.usd, sku: expect.any(String), units: 7, revenue: 17500, orders: 3, refunds: 3700, refunded_orders: 2,
      refund_rate: 0.6667, stock_on_hand: 1000 - 7, stock_turnover: Math.round((7 / 993) * 100) / 100,
    })]);

    const customers = (await shop.get('/api/v1/analytics/customers')).body.data;
    const byCurrency = Object.fromEntries(customers.currencies.map((c: Schemas['CustomersReport']['currencies'][number]) => [c.currency, c]));
    // usd: customer 0 kept o1 (5000 − 1200); customer 1 kept o2 (2500 − 2500) and o4 (10000).
    expect(byCurrency.usd).toMatchObject({
      customers: 2, new_customers: 2, returning_customers: 0,
      lifetime_value: { total: 13800, average: 6900 }, at_risk: { customers: 0, lifetime_value: 0 },
    });
    expect(byCurrency.usd.cohorts).toEqual([{ month: new Date().toISOString().slice(0, 7), customers: 2, orders: 3, lifetime_value: 13800, average_lifetime_value: 6900 }]);
    // eur: customer 1's only order was cancelled, so only customer 0 counts.
    expect(byCurrency.eur).toMatchObject({ customers: 1, lifetime_value: { total: 1000, average: 1000 } });
    expect(byCurrency.eur.geography).toEqual([{ country: 'DE', region: 'BE', customers: 1, orders: 1, lifetime_value: 1000, average_lifetime_value: 1000 }]);
  });

  it('answers every report as CSV with the same figures', async () => {
    const shop = await busyShop('CSV shop');
    await shop.rollUp();
    const csv = { Accept: 'text/csv' };
    const sales = await shop.get('/api/v1/analytics/sales', { period: 'custom', start_date: '2024-01-01', end_date: '2030-12-31', metrics: 'revenue,refunds' }, csv);
    expect(sales.status).toBe(200);
    expect(sales.headers['content-type']).toMatch(/^text\/csv/);
    const lines = sales.text.trim().split('\n');
    expect(lines[0]).toBe('currency,row,key,label,start,end,revenue,refunds');
    expect(lines).toContain('usd,bucket,,2024-01-01/2030-12-31,2024-01-01T00:00:00.000Z,2031-01-01T00:00:00.000Z,17500,3700');
    const products = await shop.get('/api/v1/analytics/products', {}, csv);
    expect(products.text.split('\n')[0]).toBe('currency,product_id,name,sku,units,revenue,orders,refunds,refunded_orders,refund_rate,stock_on_hand,stock_turnover');
    expect(products.text).toContain(`usd,${shop.products.usd},Widget usd,`);
    const customers = await shop.get('/api/v1/analytics/customers', {}, csv);
    expect(customers.text).toContain('usd,summary,,2,,13800,6900');
    const custom = await t.http.post('/api/v1/analytics/custom', { dimensions: ['country'], measures: ['revenue', 'orders'], sort: { field: 'revenue', order: 'desc' } }, { token: shop.key, headers: csv });
    expect(custom.status).toBe(200);
    expect(custom.text.trim().split('\n')).toEqual(['currency,country,revenue,orders', 'usd,CA,10000,1', 'usd,US,7500,2', 'eur,DE,1999,1']);
  });
});

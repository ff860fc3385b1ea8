import type { DataSource } from 'typeorm';
import type { Schemas } from './typed-api';

export interface CustomerTruth {
  currency: string;
  customers: number;
  orders: number;
  lifetime_value: number;
  new_customers: number;
  returning_customers: number;
  at_risk: number;
  at_risk_value: number;
  cohorts: { month: string; customers: number; orders: number; lifetime_value: number }[];
  geography: { country: string | null; region: string | null; customers: number; orders: number; lifetime_value: number }[];
}

/**
 * The customers report's figures computed straight from a tenant's orders (test mode), by the
 * definitions of the spec, not from analytics' tables: what the report must equal.
 */
export async function customerTruth(
  db: DataSource, tenantId: string, range: { start: Date; end: Date }, atRiskBefore: Date, timezone: string,
): Promise<CustomerTruth[]> {
  const rows: CustomerTruth[] = await db.query(
    `WITH o AS (
       SELECT id, customer_id, currency, created_at AS at, total - amount_refunded AS value,
              shipping_address ->> 'country' AS country, shipping_address ->> 'region' AS region
         FROM orders WHERE tenant_id = $1 AND mode = 'test' AND status <> 'cancelled'
     ), c AS (
       SELECT customer_id, currency, min(at) AS first, max(at) AS last, count(*) AS orders, sum(value) AS value,
              (array_agg(country ORDER BY at DESC, id DESC))[1] AS country, (array_agg(region ORDER BY at DESC, id DESC))[1] AS region,
              bool_or(at >= $2 AND at < $3) AS ordered_in_range
         FROM o GROUP BY customer_id, currency
     )
     SELECT currency, count(*)::int AS customers, sum(orders)::int AS orders, sum(value)::int AS lifetime_value,
            (count(*) FILTER (WHERE first >= $2 AND first < $3))::int AS new_customers,
            (count(*) FILTER (WHERE first < $2 AND ordered_in_range))::int AS returning_customers,
            (count(*) FILTER (WHERE last < $4))::int AS at_risk, coalesce(sum(value) FILTER (WHERE last < $4), 0)::int AS at_risk_value,
            (SELECT json_agg(x ORDER BY x.month) FROM (
               SELECT to_char(c2.first AT TIME ZONE $5, 'YYYY-MM') AS month, count(*)::int AS customers, sum(c2.orders)::int AS orders, sum(c2.value)::int AS lifetime_value
                 FROM c c2 WHERE c2.currency = c.currency GROUP BY 1) x) AS cohorts,
            (SELECT json_agg(x ORDER BY x.lifetime_value DESC, x.country, x.region) FROM (
               SELECT nullif(c2.country, '') AS country, nullif(c2.region, '') AS region, count(*)::int AS customers, sum(c2.orders)::int AS orders,
                      sum(c2.value)::int AS lifetime_value
                 FROM c c2 WHERE c2.currency = c.currency GROUP BY 1, 2) x) AS geography
       FROM c GROUP BY currency ORDER BY currency`,
    [tenantId, range.start, range.end, atRiskBefore, timezone],
  );
  return rows;
}

/** The report's figures in the shape of CustomerTruth (averages left out: they follow from the sums). */
export function reportFigures(report: Schemas['CustomersReport']): CustomerTruth[] {
  return report.currencies.map((c) => ({
    currency: c.currency, customers: c.customers, orders: c.cohorts.reduce((s, k) => s + k.orders, 0), lifetime_value: c.lifetime_value.total,
    new_customers: c.new_customers, returning_customers: c.returning_customers, at_risk: c.at_risk.customers, at_risk_value: c.at_risk.lifetime_value,
    // The report's segments carry exactly the truth's fields besides the average (checked by the comparison).
    cohorts: c.cohorts.map(({ average_lifetime_value: _, ...k }) => k as CustomerTruth['cohorts'][number]),
    geography: c.geography.map(({ average_lifetime_value: _, ...g }) => g as CustomerTruth['geography'][number]),
  }));
}

/** Every row analytics keeps for a tenant (customer rows with zeros left out: a rebuild drops them), for comparing two ways of keeping them. */
export async function analyticsRows(db: DataSource, tenantId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const sums = 'orders, revenue, units, refunds';
  const tables: [string, string, string][] = [
    ['analytics_sales_hourly', `currency, hour, ${sums}, cancelled_orders`, 'true'],
    ['analytics_sales_periods', `currency, unit, period_start, ${sums}, cancelled_orders`, 'true'],
    ['analytics_region_periods', `currency, unit, period_start, country, region, ${sums}, cancelled_orders`, 'true'],
    ['analytics_product_periods', `currency, unit, period_start, product_id, ${sums}, refunded_orders`, 'true'],
    ['analytics_customer_totals', 'currency, customer_id, orders, revenue, refunds, first_order_at, last_order_at, country, region', 'true'],
    ['analytics_customer_cohorts', 'currency, unit, first_start, customers, orders, lifetime_value', 'customers <> 0'],
    ['analytics_customer_geography', 'currency, country, region, customers, orders, lifetime_value', 'customers <> 0'],
    ['analytics_customer_recency', 'currency, last_day, customers, orders, lifetime_value', 'customers <> 0'],
    ['analytics_customer_returns', 'currency, next_unit, prev_unit, next_start, prev_start, returns', 'returns <> 0'],
    ['analytics_order_facts', 'order_id, counted, prev_at', 'true'],
  ];
  for (const [table, columns, keep] of tables) {
    out[table] = await db.query(`SELECT ${columns} FROM ${table} WHERE tenant_id = $1 AND mode = 'test' AND ${keep} ORDER BY ${columns}`, [tenantId]);
  }
  return out;
}

import type { Pool } from 'pg';

const PRODUCTS = 200;
const CUSTOMERS = 50_000;
const REGIONS = [['US', 'NY'], ['US', 'CA'], ['US', 'TX'], ['CA', 'ON'], ['DE', 'BE'], ['DE', 'BY'], ['FR', 'IDF'], ['GB', 'LND'], ['NL', 'NH'], ['ES', 'MD']];

/**
 * A tenant's orders written set-based (generate_series) as the database owner, not through the API:
 * `orders` orders over the last two years, 1–2 lines each over 200 products, 50,000 customers, 10 % in
 * eur, 3 % cancelled, 5 % partly and 2 % fully refunded. Then analytics' facts from those orders and
 * the rollups recomputed from the facts with the statements the rebuild runs.
 */
export async function generateOrders(pool: Pool, tenantId: string, mode: 'live' | 'test', orders: number, prefix: string): Promise<void> {
  const regions = JSON.stringify(REGIONS.map(([country, region]) => ({ first_name: 'B', last_name: 'C', line1: '1 Main St', city: 'X', postal_code: '1', country, region })));
  await pool.query(
    `INSERT INTO products (id, tenant_id, mode, sku, name, price, currency, categories, stock)
     SELECT $3 || 'prod_' || p, $1, $2, $3 || 'SKU-' || p, 'Product ' || p, 500 + p * 50, 'usd', ARRAY['cat' || (p % 12)], 1000 + p
       FROM generate_series(0, ${PRODUCTS - 1}) AS p`,
    [tenantId, mode, prefix],
  );
  await pool.query(
    `WITH g AS (
       SELECT i, (i * 7) % ${PRODUCTS} AS p0, 1 + i % 3 AS q0, (i * 11 + 3) % ${PRODUCTS} AS p1, i % 3 = 0 AS two,
              now() - (random() * interval '730 days') AS at
         FROM generate_series(1, $4::int) AS i
     ), priced AS (
       SELECT g.*, (500 + p0 * 50) * q0 AS t0, CASE WHEN two THEN 500 + p1 * 50 ELSE 0 END AS t1 FROM g
     ), lines AS (
       INSERT INTO order_lines (id, tenant_id, mode, order_id, position, product_id, sku, name, unit_price, quantity, line_total, created_at)
       SELECT $3 || 'line_' || i || '_' || n, $1, $2, $3 || 'ord_' || i, n, $3 || 'prod_' || pid, $3 || 'SKU-' || pid, 'Product ' || pid, 500 + pid * 50, q, lt, at
         FROM priced CROSS JOIN LATERAL (VALUES (0, p0, q0, t0), (1, p1, 1, t1)) AS l(n, pid, q, lt)
        WHERE n = 0 OR two
     )
     INSERT INTO orders (id, tenant_id, mode, customer_id, status, payment_status, fulfillment_status, stock_state, currency,
                         subtotal, shipping_total, tax_total, total, amount_paid, amount_refunded, shipping_address, billing_address, created_at, updated_at)
     SELECT $3 || 'ord_' || i, $1, $2, $3 || 'cus_' || (i % ${CUSTOMERS}),
            CASE WHEN i % 33 = 0 THEN 'cancelled' ELSE 'delivered' END,
            CASE WHEN i % 33 = 0 THEN 'pending' WHEN i % 50 = 0 THEN 'refunded' WHEN i % 20 = 0 THEN 'partially_refunded' ELSE 'paid' END,
            'fulfilled', 'committed', CASE WHEN i % 10 = 0 THEN 'eur' ELSE 'usd' END,
            t0 + t1, 0, 0, t0 + t1,
            CASE WHEN i % 33 = 0 THEN 0 ELSE t0 + t1 END,
            CASE WHEN i % 33 = 0 THEN 0 WHEN i % 50 = 0 THEN t0 + t1 WHEN i % 20 = 0 THEN (t0 + t1) / 3 ELSE 0 END,
            ($5::jsonb) -> (i % ${REGIONS.length}), ($5::jsonb) -> (i % ${REGIONS.length}), at, at
       FROM priced`,
    [tenantId, mode, prefix, orders, regions],
  );
  // The facts as the rebuild writes them: the refund shared among the lines in proportion (the remainder on the first line).
  await pool.query(
    `INSERT INTO analytics_order_facts (tenant_id, mode, order_id, customer_id, currency, placed_at, placed_hour, counted, total, refunded, units, country, region, lines, version_at, version_event)
     SELECT o.tenant_id, o.mode, o.id, o.customer_id, o.currency, o.created_at, date_trunc('hour', o.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
            o.status <> 'cancelled', o.total, o.amount_refunded, l.units, o.shipping_address ->> 'country', o.shipping_address ->> 'region', l.lines, o.updated_at, 'rebuild'
       FROM orders o
       CROSS JOIN LATERAL (
         SELECT sum(x.quantity)::int AS units,
                jsonb_agg(jsonb_build_object('product_id', x.product_id, 'quantity', x.quantity, 'line_total', x.line_total,
                  'refund', CASE WHEN o.total = 0 THEN 0 ELSE o.amount_refunded * x.line_total / o.total END
                            + CASE WHEN x.position = 0 THEN o.amount_refunded - (SELECT coalesce(sum(o.amount_refunded * y.line_total / nullif(o.total, 0)), 0)
                                FROM order_lines y WHERE y.tenant_id = o.tenant_id AND y.order_id = o.id) ELSE 0 END) ORDER BY x.position) AS lines
           FROM order_lines x WHERE x.tenant_id = o.tenant_id AND x.order_id = o.id) l
      WHERE o.tenant_id = $1 AND o.mode = $2`,
    [tenantId, mode],
  );
}

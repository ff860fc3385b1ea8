import type { Pool, PoolClient } from 'pg';

const PRODUCTS = 200;
const CUSTOMERS = 50_000;
const REGIONS = [['US', 'NY'], ['US', 'CA'], ['US', 'TX'], ['CA', 'ON'], ['DE', 'BE'], ['DE', 'BY'], ['FR', 'IDF'], ['GB', 'LND'], ['NL', 'NH'], ['ES', 'MD']];

/**
 * A tenant's orders written set-based as the database owner, not through the API: `orders` orders
 * over the last two years, 1–2 lines each over 200 products, 50,000 customers, 10 % in eur, 3 %
 * cancelled, 5 % partly and 2 % fully refunded. Each order is drawn once into a temporary table;
 * its lines, the order and analytics' fact (with the customer's previous order, `prev_at`) are
 * written from there in one statement each, so nothing is looked up per order. The rollups are
 * then recomputed from the facts with the statements the rebuild runs (the caller does that).
 */
export async function generateOrders(pool: Pool, tenantId: string, mode: 'live' | 'test', orders: number, prefix: string): Promise<void> {
  const regions = JSON.stringify(REGIONS.map(([country, region]) => ({ first_name: 'B', last_name: 'C', line1: '1 Main St', city: 'X', postal_code: '1', country, region })));
  const client = await pool.connect();
  const db = { query: (sql: string, params?: unknown[]) => timedQuery(client, sql, params) };
  try {
    // A bulk load of rows consistent by construction: no foreign-key triggers (replica role), room for the sorts.
    await client.query(`SET synchronous_commit = off; SET session_replication_role = replica; SET work_mem = '256MB'`);
    await db.query(
      `INSERT INTO products (id, tenant_id, mode, sku, name, price, currency, categories, stock)
       SELECT $3 || 'prod_' || p, $1, $2, $3 || 'SKU-' || p, 'Product ' || p, 500 + p * 50, 'usd', ARRAY['cat' || (p % 12)], 1000 + p
         FROM generate_series(0, ${PRODUCTS - 1}) AS p`,
      [tenantId, mode, prefix],
    );
    await client.query(`DROP TABLE IF EXISTS bench_orders`);
    // Placed at whole milliseconds, as the timestamp(3) columns keep them (prev_at is computed from these values).
    await db.query(
      `CREATE TEMP TABLE bench_orders AS
       SELECT g.*, (500 + p0 * 50) * q0 AS t0, CASE WHEN two THEN 500 + p1 * 50 ELSE 0 END AS t1
         FROM (SELECT i, $1 || 'ord_' || i AS id, $1 || 'cus_' || (i % ${CUSTOMERS}) AS customer_id,
                      (i * 7) % ${PRODUCTS} AS p0, 1 + i % 3 AS q0, (i * 11 + 3) % ${PRODUCTS} AS p1, i % 3 = 0 AS two,
                      date_trunc('milliseconds', now() - random() * interval '730 days') AS at,
                      i % 33 = 0 AS cancelled, CASE WHEN i % 10 = 0 THEN 'eur' ELSE 'usd' END AS currency, i % ${REGIONS.length} AS place
                 FROM generate_series(1, $2::int) AS i) AS g`,
      [prefix, orders],
    );
    await db.query(
      `ALTER TABLE bench_orders ADD COLUMN total bigint, ADD COLUMN refunded bigint;
       UPDATE bench_orders SET total = t0 + t1,
              refunded = CASE WHEN cancelled THEN 0 WHEN i % 50 = 0 THEN t0 + t1 WHEN i % 20 = 0 THEN (t0 + t1) / 3 ELSE 0 END`,
    );
    await db.query(
      `INSERT INTO orders (id, tenant_id, mode, customer_id, status, payment_status, fulfillment_status, stock_state, currency,
                           subtotal, shipping_total, tax_total, total, amount_paid, amount_refunded, shipping_address, billing_address, created_at, updated_at)
       SELECT id, $1, $2, customer_id,
              CASE WHEN cancelled THEN 'cancelled' ELSE 'delivered' END,
              CASE WHEN cancelled THEN 'pending' WHEN i % 50 = 0 THEN 'refunded' WHEN i % 20 = 0 THEN 'partially_refunded' ELSE 'paid' END,
              'fulfilled', 'committed', currency, total, 0, 0, total, CASE WHEN cancelled THEN 0 ELSE total END, refunded,
              ($3::jsonb) -> place, ($3::jsonb) -> place, at, at
         FROM bench_orders`,
      [tenantId, mode, regions],
    );
    await db.query(
      `INSERT INTO order_lines (id, tenant_id, mode, order_id, position, product_id, sku, name, unit_price, quantity, line_total, created_at)
       SELECT $3 || 'line_' || i || '_' || n, $1, $2, id, n, $3 || 'prod_' || pid, $3 || 'SKU-' || pid, 'Product ' || pid, 500 + pid * 50, q, lt, at
         FROM bench_orders CROSS JOIN LATERAL (VALUES (0, p0, q0, t0), (1, p1, 1, t1)) AS l(n, pid, q, lt)
        WHERE n = 0 OR two`,
      [tenantId, mode, prefix],
    );
    // The facts as the rebuild writes them: the refund shared among the lines in proportion (the remainder on the first line).
    await db.query(
      `INSERT INTO analytics_order_facts (tenant_id, mode, order_id, customer_id, currency, placed_at, placed_hour, counted, total, refunded, units,
                                          country, region, lines, prev_at, version_at, version_event)
       SELECT $1, $2, id, customer_id, currency, at, date_trunc('hour', at, 'UTC'), NOT cancelled, total, refunded, q0 + CASE WHEN two THEN 1 ELSE 0 END,
              ($3::jsonb) -> place ->> 'country', ($3::jsonb) -> place ->> 'region',
              jsonb_build_array(jsonb_build_object('product_id', $4 || 'prod_' || p0, 'quantity', q0, 'line_total', t0,
                                  'refund', refunded * t0 / total + (refunded - refunded * t0 / total - refunded * t1 / total)))
                || CASE WHEN two THEN jsonb_build_array(jsonb_build_object('product_id', $4 || 'prod_' || p1, 'quantity', 1, 'line_total', t1, 'refund', refunded * t1 / total))
                        ELSE '[]'::jsonb END,
              CASE WHEN NOT cancelled THEN lag(at) OVER (PARTITION BY customer_id, currency, cancelled ORDER BY at, id) END,
              at, 'rebuild'
         FROM bench_orders`,
      [tenantId, mode, regions, prefix],
    );
    await db.query(`DROP TABLE bench_orders`);
  } finally {
    await client.query(`RESET session_replication_role; RESET work_mem`);
    client.release();
  }
}

/** Runs one statement and prints how long it took (BENCH_VERBOSE=1), naming it by its first words. */
async function timedQuery(client: PoolClient, sql: string, params?: unknown[]): Promise<unknown> {
  const started = performance.now();
  const result = await client.query(sql, params);
  if (process.env.BENCH_VERBOSE) console.log(`    ${sql.trim().split(/\s+/).slice(0, 3).join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

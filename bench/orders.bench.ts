import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { newId } from '../src/platform/ids/ids';
import { startBenchApp, type Answer } from './http-app';
import { load, printTable } from './support';

const ADDRESS = { line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' };

/**
 * The transaction a plain server would run for one order: price lookup, guarded reservation,
 * order + line + movement + event rows. The same statements the API issues, without the framework,
 * auth, rate limiting, validation or the idempotency/envelope layers.
 */
function startPlainServer(pool: Pool, tenantId: string, productId: string, locationId: string, customerId: string): Promise<string> {
  const server = createServer(async (_req, res) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const product = (await client.query(`SELECT id, sku, name, price, currency FROM products WHERE id = $1 AND tenant_id = $2 AND mode = 'live'`, [productId, tenantId])).rows[0];
      await client.query(`SELECT id FROM customers WHERE id = $1 AND tenant_id = $2 AND mode = 'live'`, [customerId, tenantId]);
      const reserved = await client.query(
        `UPDATE stock_levels SET reserved = reserved + 1, updated_at = now()
          WHERE tenant_id = $1 AND mode = 'live' AND product_id = $2 AND variant_key = '' AND location_id = $3 AND on_hand - reserved >= 1
          RETURNING on_hand, reserved`,
        [tenantId, productId, locationId],
      );
      if (reserved.rowCount === 0) throw new Error('short');
      const orderId = newId('ord');
      await client.query(
        `INSERT INTO orders (id, tenant_id, mode, customer_id, status, payment_status, fulfillment_status, stock_state, currency,
           subtotal, shipping_total, tax_total, total, amount_paid, amount_refunded, shipping_address, billing_address)
         VALUES ($1, $2, 'live', $3, 'pending', 'pending', 'unfulfilled', 'reserved', $4, $5, 0, 0, $5, 0, 0, $6, $6)`,
        [orderId, tenantId, customerId, product.currency, product.price, JSON.stringify(ADDRESS)],
      );
      await client.query(
        `INSERT INTO order_lines (id, tenant_id, mode, order_id, position, product_id, sku, name, unit_price, quantity, line_total)
         VALUES ($1, $2, 'live', $3, 0, $4, $5, $6, $7, 1, $7)`,
        [newId('line'), tenantId, orderId, productId, product.sku, product.name, product.price],
      );
      await client.query(
        `INSERT INTO stock_movements (id, tenant_id, mode, product_id, location_id, kind, quantity_on_hand_delta, quantity_reserved_delta, reference)
         VALUES ($1, $2, 'live', $3, $4, 'reservation', 0, 1, $5)`,
        [newId('mov'), tenantId, productId, locationId, orderId],
      );
      await client.query(`INSERT INTO events (id, tenant_id, mode, type, data) VALUES ($1, $2, 'live', 'order.created', $3)`, [
        newId('evt'), tenantId, JSON.stringify({ object: { id: orderId } }),
      ]);
      await client.query('COMMIT');
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { id: orderId } }));
    } catch {
      await client.query('ROLLBACK');
      res.statusCode = 409;
      res.end('{}');
    } finally {
      client.release();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** POST /orders at 50 connections: the API against the plain guarded-UPDATE transaction, same database, same run. */
export async function benchOrders(seconds: number): Promise<void> {
  const bench = await startBenchApp();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const call = <T>(path: string, body: object) =>
    fetch(`${bench.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.apiKey}` },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<T>);
  try {
    const product = await call<Answer<'Product'>>('/api/v1/products', { name: 'Bench item', sku: `BENCH-${Date.now()}`, price: 1999 });
    const location = await call<Answer<'Location'>>('/api/v1/locations', { name: 'Main', code: 'MAIN' });
    await call(`/api/v1/inventory/${product.data.id}/adjust`, { quantity: 10_000_000, reason: 'received', location: location.data.id });
    const customer = await call<Answer<'Customer'>>('/api/v1/customers', { email: 'bench@example.test', first_name: 'Ben', last_name: 'Ch' });
    const body = JSON.stringify({ customer_id: customer.data.id, items: [{ product_id: product.data.id, quantity: 1 }], shipping_address: ADDRESS });
    const plain = await startPlainServer(pool, bench.tenantId, product.data.id, location.data.id, customer.data.id);
    const opts = { connections: 50, seconds, method: 'POST' as const, body, headers: { 'content-type': 'application/json' } };
    await load('warm-up', `${plain}/`, { ...opts, seconds: 2 });
    const baseline = await load('plain node:http + pg, same transaction', `${plain}/`, opts);
    const api = await load('API POST /orders (API key)', `${bench.base}/api/v1/orders`, {
      ...opts,
      headers: { ...opts.headers, authorization: `Bearer ${bench.apiKey}` },
    });
    console.log(`\n### POST /orders (50 connections, ${seconds} s)\n`);
    printTable([baseline, api], baseline);
  } finally {
    await pool.end();
    await bench.app.close();
  }
}

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { escapeLiteral, Pool, type PoolClient } from 'pg';

/**
 * The baseline of `npm run bench`: a plain node:http + pg server that runs the same SQL as the API
 * for the benchmarked routes, and nothing else (no framework, auth, rate limiting, validation,
 * logging or envelope). By default it connects as the API's runtime role and runs each request in
 * one transaction whose first round trip sets the row-level-security settings, as the minimum a
 * server on this schema must do; BENCH_BASELINE_RLS=0 connects as DATABASE_URL without them.
 *
 * Settings (env): PORT, DATABASE_URL, DATABASE_POOL_SIZE (10, the API's default), BENCH_TENANT_ID,
 * BENCH_LOCATION_ID (POST /orders), BENCH_ORDER_EVENT (the `data` of an order.created event the API
 * wrote: the baseline's events carry the same snapshot, with its own order's id), BENCH_BASELINE_RLS.
 */
const tenantId = required('BENCH_TENANT_ID');
const rls = process.env.BENCH_BASELINE_RLS !== '0';
const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const PER_PAGE = 50;
const PRODUCT_COLUMNS = `id, tenant_id, mode, sku, name, description, price, currency, status, type, label_name, categories, images, attributes, metadata, stock, created_at, updated_at`;
const SCOPE = `SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true), set_config('app.mode', 'live', true)`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** One transaction (with the tenant scope in BEGIN's round trip when RLS is on); reads skip it without RLS. */
async function inTransaction<T>(write: boolean, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const transaction = rls || write;
  try {
    if (transaction) await client.query(rls ? `BEGIN; ${SCOPE}` : 'BEGIN');
    const result = await work(client);
    if (transaction) await client.query('COMMIT');
    return result;
  } catch (err) {
    if (transaction) await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** GET /products?page=N or ?after=<created_at>|<id>: count + page (or keyset page) + the page's variants. */
async function listProducts(url: URL): Promise<unknown> {
  return inTransaction(false, async (db) => {
    const after = url.searchParams.get('after');
    let rows: { id: string }[];
    let total: number | undefined;
    if (after) {
      const [createdAt, id] = after.split('|');
      rows = (await db.query(
        `SELECT ${PRODUCT_COLUMNS} FROM products WHERE tenant_id = $1 AND mode = 'live' AND (created_at, id) < ($2, $3)
          ORDER BY created_at DESC, id DESC LIMIT ${PER_PAGE + 1}`,
        [tenantId, createdAt, id],
      )).rows;
    } else {
      const page = Number(url.searchParams.get('page') ?? 1);
      total = Number((await db.query(`SELECT count(*) FROM products WHERE tenant_id = $1 AND mode = 'live'`, [tenantId])).rows[0].count);
      rows = (await db.query(
        `SELECT ${PRODUCT_COLUMNS} FROM products WHERE tenant_id = $1 AND mode = 'live' ORDER BY created_at DESC, id DESC LIMIT ${PER_PAGE} OFFSET $2`,
        [tenantId, (page - 1) * PER_PAGE],
      )).rows;
    }
    const page = rows.slice(0, PER_PAGE);
    const variants = (await db.query(
      `SELECT * FROM product_variants WHERE tenant_id = $1 AND mode = 'live' AND product_id = ANY($2) ORDER BY created_at, id`,
      [tenantId, page.map((r) => r.id)],
    )).rows;
    return { data: page, meta: { total, variants: variants.length, has_more: rows.length > PER_PAGE } };
  });
}

const ORDER_EVENT = JSON.parse(process.env.BENCH_ORDER_EVENT ?? '{"object":{}}') as { object: Record<string, unknown> };
const ADDRESS = JSON.stringify({ line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' });

/** POST /orders {customer_id, items: [{product_id, quantity}]}: price lookup, guarded reservation, order + line + movement + event rows. */
async function createOrder(body: { customer_id: string; items: { product_id: string; quantity: number }[] }): Promise<{ id: string } | null> {
  const locationId = required('BENCH_LOCATION_ID');
  const [{ product_id: productId, quantity }] = body.items;
  return inTransaction(true, async (db) => {
    const product = (await db.query(`SELECT id, sku, name, price, currency FROM products WHERE id = $1 AND tenant_id = $2 AND mode = 'live'`, [productId, tenantId])).rows[0];
    await db.query(`SELECT id FROM customers WHERE id = $1 AND tenant_id = $2 AND mode = 'live'`, [body.customer_id, tenantId]);
    const reserved = await db.query(
      `UPDATE stock_levels SET reserved = reserved + $4, updated_at = now()
        WHERE tenant_id = $1 AND mode = 'live' AND product_id = $2 AND variant_key = '' AND location_id = $3 AND on_hand - reserved >= $4
        RETURNING on_hand, reserved`,
      [tenantId, productId, locationId, quantity],
    );
    if (reserved.rowCount === 0) return null;
    const orderId = newId('ord');
    const total = Number(product.price) * quantity;
    await db.query(
      `INSERT INTO orders (id, tenant_id, mode, customer_id, status, payment_status, fulfillment_status, stock_state, currency,
         subtotal, shipping_total, tax_total, total, amount_paid, amount_refunded, shipping_address, billing_address)
       VALUES ($1, $2, 'live', $3, 'pending', 'pending', 'unfulfilled', 'reserved', $4, $5, 0, 0, $5, 0, 0, $6, $6)`,
      [orderId, tenantId, body.customer_id, product.currency, total, ADDRESS],
    );
    await db.query(
      `INSERT INTO order_lines (id, tenant_id, mode, order_id, position, product_id, sku, name, unit_price, quantity, line_total)
       VALUES ($1, $2, 'live', $3, 0, $4, $5, $6, $7, $8, $9)`,
      [newId('line'), tenantId, orderId, productId, product.sku, product.name, product.price, quantity, total],
    );
    await db.query(
      `INSERT INTO stock_movements (id, tenant_id, mode, product_id, location_id, kind, quantity_on_hand_delta, quantity_reserved_delta, reference)
       VALUES ($1, $2, 'live', $3, $4, 'reservation', 0, $5, $6)`,
      [newId('mov'), tenantId, productId, locationId, quantity, orderId],
    );
    await db.query(
      `WITH inserted AS (INSERT INTO events (id, tenant_id, mode, type, data) VALUES ($1, $2, 'live', 'order.created', $3::jsonb) RETURNING id)
       SELECT pg_notify('cbapi_outbox', '') FROM inserted`,
      [newId('evt'), tenantId, JSON.stringify({ object: { ...ORDER_EVENT.object, id: orderId, created_at: new Date().toISOString(), updated_at: new Date().toISOString() } })],
    );
    return { id: orderId };
  });
}

/** Ids shaped like the API's (prefix + 26 characters), without its ULID library. */
function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 26)}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://baseline');
  const route = `${req.method} ${url.pathname}`;
  const handle = async () => {
    if (route === 'GET /public' || route === 'GET /health/ready') return send(res, 200, { ok: true });
    if (route === 'GET /products') return send(res, 200, await listProducts(url));
    if (route === 'POST /orders') {
      const order = await createOrder(JSON.parse(await readBody(req)));
      return order ? send(res, 201, { data: order }) : send(res, 409, { error: 'insufficient stock' });
    }
    send(res, 404, { error: 'not found' });
  };
  handle().catch((err: unknown) => send(res, 500, { error: err instanceof Error ? err.message : String(err) }));
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

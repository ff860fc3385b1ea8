import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { newId } from '../../src/platform/ids/ids';
import { encodeCursor } from '../../src/platform/pagination/page-query';
import { newWebhookSecret } from '../../src/modules/webhooks/webhook-signature';

export const PRODUCTS_IN_TENANT = 10_000;
export const PRODUCTS_IN_TABLE = 100_000;
export const CURSOR_DEPTH = 9_000;

export interface Tenant {
  tenantId: string;
  ownerToken: string;
  apiKey: string;
}

interface Created {
  data: { id: string; access_token: string; tenant: { id: string }; secret: string };
}

async function post(base: string, path: string, body: object, token?: string): Promise<Created> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Created;
  if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** A verified tenant (SIGNUP_VERIFICATION=false) with a read-write live API key, made through the API. */
export async function signUpTenant(base: string): Promise<Tenant> {
  const signUp = await post(base, '/api/v1/tenants', { name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password-123' });
  const key = await post(base, '/api/v1/api-keys', { name: 'bench', access: 'read_write' }, signUp.data.access_token);
  return { tenantId: signUp.data.tenant.id, ownerToken: signUp.data.access_token, apiKey: key.data.secret };
}

/**
 * Inserts products straight into the table as the owner: PRODUCTS_IN_TENANT for the tenant, the rest
 * spread over nine other tenant ids; returns the keyset cursors (API and baseline) CURSOR_DEPTH rows deep.
 */
export async function seedProducts(owner: Pool, tenantId: string): Promise<{ apiCursor: string; baselineAfter: string }> {
  const batch = 10_000;
  for (let start = 0; start < PRODUCTS_IN_TABLE; start += batch) {
    const rows = Array.from({ length: batch }, (_, i) => {
      const n = start + i;
      return { id: newId('prod'), tenant: n < PRODUCTS_IN_TENANT ? tenantId : `ten_other${n % 9}`, sku: `SKU-${n}`, name: `Product ${n}`, price: 100 + (n % 5000), ord: n };
    });
    await owner.query(
      `INSERT INTO products (id, tenant_id, mode, sku, name, price, categories, created_at, updated_at)
       SELECT r.id, r.tenant, 'live', r.sku, r.name, r.price, ARRAY['bench'], now() - (r.ord || ' seconds')::interval, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant text, sku text, name text, price bigint, ord bigint)`,
      [JSON.stringify(rows)],
    );
  }
  await owner.query('ANALYZE products');
  const deep = (await owner.query(
    `SELECT id, created_at FROM products WHERE tenant_id = $1 AND mode = 'live' ORDER BY created_at DESC, id DESC OFFSET ${CURSOR_DEPTH - 1} LIMIT 1`,
    [tenantId],
  )).rows[0];
  const createdAt = (deep.created_at as Date).toISOString();
  return {
    apiCursor: encodeCursor({ sort: 'created_at', order: 'desc', value: createdAt, id: deep.id }),
    baselineAfter: encodeURIComponent(`${createdAt}|${deep.id}`),
  };
}

export interface OrderFixture {
  productId: string;
  locationId: string;
  customerId: string;
  /** The POST /orders body, the same for the API and the baseline. */
  body: string;
  /**
   * The `data` of an order.created event the API wrote (the order snapshot): the baseline writes the
   * same payload, so the worker's subscribers (analytics rollups) do the same work for its orders.
   */
  eventTemplate: string;
}

/** A product with 10,000,000 units at one location and a customer, made through the API, and one order's event. */
export async function orderFixture(base: string, apiKey: string, owner: Pool): Promise<OrderFixture> {
  const product = await post(base, '/api/v1/products', { name: 'Bench item', sku: `BENCH-${Date.now()}`, price: 1999 }, apiKey);
  const location = await post(base, '/api/v1/locations', { name: 'Main', code: 'MAIN' }, apiKey);
  await post(base, `/api/v1/inventory/${product.data.id}/adjust`, { quantity: 10_000_000, reason: 'received', location: location.data.id }, apiKey);
  const customer = await post(base, '/api/v1/customers', { email: 'bench@example.test', first_name: 'Ben', last_name: 'Ch' }, apiKey);
  const body = JSON.stringify({
    customer_id: customer.data.id,
    items: [{ product_id: product.data.id, quantity: 1 }],
    shipping_address: { line1: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' },
  });
  const order = await post(base, '/api/v1/orders', JSON.parse(body), apiKey);
  const event = await owner.query(`SELECT data FROM events WHERE type = 'order.created' AND data->'object'->>'id' = $1`, [order.data.id]);
  if (event.rowCount !== 1) throw new Error(`no order.created event for ${order.data.id}`);
  return { productId: product.data.id, locationId: location.data.id, customerId: customer.data.id, body, eventTemplate: JSON.stringify(event.rows[0].data) };
}

/**
 * A live webhook endpoint for `customer.created` at the local receiver, inserted as the owner: the
 * API in production settings refuses loopback URLs (the worker is told to allow them).
 */
export async function webhookEndpoint(owner: Pool, tenantId: string, url: string): Promise<void> {
  await owner.query(
    `INSERT INTO webhook_endpoints (id, tenant_id, mode, url, events, secret) VALUES ($1, $2, 'live', $3, ARRAY['customer.created'], $4)`,
    [newId('we'), tenantId, url, newWebhookSecret()],
  );
}

/**
 * Commits `count` customer.created events in one transaction, exactly as EventsService.record writes
 * them (row + pg_notify on the outbox channel), dealt round-robin over `tenantIds`; returns Date.now()
 * right after COMMIT.
 */
export async function commitEvents(owner: Pool, tenantIds: readonly string[], count: number, tag: string): Promise<number> {
  const client = await owner.connect();
  try {
    await client.query('BEGIN');
    for (let i = 0; i < count; i += 1) {
      await client.query(
        `WITH inserted AS (INSERT INTO events (id, tenant_id, mode, type, data, relayed_at, trace_parent) VALUES ($1, $2, 'live', 'customer.created', $3::jsonb, NULL, NULL) RETURNING id)
         SELECT pg_notify('cbapi_outbox', '') FROM inserted`,
        [newId('evt'), tenantIds[i % tenantIds.length], JSON.stringify({ object: { id: `cus_${tag}_${i}`, object: 'customer', email: `c${i}@example.test` } })],
      );
    }
    await client.query('COMMIT');
    return Date.now();
  } finally {
    client.release();
  }
}

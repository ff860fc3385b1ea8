import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { newId } from '../src/platform/ids/ids';
import { encodeCursor } from '../src/platform/pagination/page-query';
import { startBenchApp } from './http-app';
import { load, printTable, type LoadResult } from './support';

const IN_TENANT = 10_000;
const IN_TABLE = 100_000;

/** Inserts products straight into the table: `count` for the tenant, the rest spread over other tenants. */
async function seedProducts(pool: Pool, tenantId: string): Promise<void> {
  const batch = 10_000;
  for (let start = 0; start < IN_TABLE; start += batch) {
    const rows = Array.from({ length: batch }, (_, i) => {
      const n = start + i;
      return { id: newId('prod'), tenant: n < IN_TENANT ? tenantId : `ten_other${n % 9}`, sku: `SKU-${n}`, name: `Product ${n}`, price: 100 + (n % 5000), ord: n };
    });
    await pool.query(
      `INSERT INTO products (id, tenant_id, mode, sku, name, price, categories, created_at, updated_at)
       SELECT r.id, r.tenant, 'live', r.sku, r.name, r.price, ARRAY['bench'], now() - (r.ord || ' seconds')::interval, now()
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant text, sku text, name text, price bigint, ord bigint)`,
      [JSON.stringify(rows)],
    );
  }
  await pool.query('ANALYZE products');
}

const COLUMNS = `id, sku, name, description, price, currency, status, type, label_name, categories, images, attributes, metadata, stock, created_at, updated_at`;

/** The same SQL the API runs for GET /products (count + page + the page's variants), without the framework. */
function startPlainServer(pool: Pool, tenantId: string): Promise<string> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const perPage = 50;
    const cursor = url.searchParams.get('after');
    let rows;
    let total: number | undefined;
    if (cursor) {
      const [createdAt, id] = cursor.split('|');
      rows = (await pool.query(
        `SELECT ${COLUMNS} FROM products WHERE tenant_id = $1 AND mode = 'live' AND (created_at, id) < ($2, $3)
          ORDER BY created_at DESC, id DESC LIMIT ${perPage + 1}`,
        [tenantId, createdAt, id],
      )).rows;
    } else {
      const page = Number(url.searchParams.get('page') ?? 1);
      total = Number((await pool.query(`SELECT count(*) FROM products WHERE tenant_id = $1 AND mode = 'live'`, [tenantId])).rows[0].count);
      rows = (await pool.query(
        `SELECT ${COLUMNS} FROM products WHERE tenant_id = $1 AND mode = 'live' ORDER BY created_at DESC, id DESC LIMIT ${perPage} OFFSET $2`,
        [tenantId, (page - 1) * perPage],
      )).rows;
    }
    const ids = rows.map((r) => r.id);
    await pool.query(`SELECT * FROM product_variants WHERE tenant_id = $1 AND mode = 'live' AND product_id = ANY($2) ORDER BY created_at, id`, [tenantId, ids]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: rows.slice(0, perPage), meta: { total } }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/**
 * GET /products with 10,000 products in the tenant and 100,000 in the table: page 1, page 100
 * and a cursor page 9,000 rows deep, through the API and through a plain node:http + pg server
 * running the same SQL (the baseline), 50 connections each.
 */
export async function benchProductsList(seconds: number): Promise<void> {
  const bench = await startBenchApp();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  try {
    await seedProducts(pool, bench.tenantId);
    const deep = (await pool.query(
      `SELECT id, created_at FROM products WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC OFFSET 9000 LIMIT 1`,
      [bench.tenantId],
    )).rows[0];
    const apiCursor = encodeCursor({ sort: 'created_at', order: 'desc', value: deep.created_at.toISOString(), id: deep.id });
    const plain = await startPlainServer(pool, bench.tenantId);
    const headers = { authorization: `Bearer ${bench.apiKey}` };
    const opts = { connections: 50, seconds };
    const rows: LoadResult[] = [];
    await load('warm-up', `${bench.base}/api/v1/products?page=1`, { ...opts, seconds: 2, headers });
    for (const [label, apiPath, plainPath] of [
      ['page 1', '/api/v1/products?page=1', '/?page=1'],
      ['page 100', '/api/v1/products?page=100', '/?page=100'],
      ['cursor, 9,000 rows deep', `/api/v1/products?cursor=${apiCursor}`, `/?after=${encodeURIComponent(`${deep.created_at.toISOString()}|${deep.id}`)}`],
    ]) {
      const base = await load(`plain node:http + pg — ${label}`, `${plain}${plainPath}`, opts);
      const api = await load(`API — ${label}`, `${bench.base}${apiPath}`, { ...opts, headers });
      rows.push(base, api);
      console.log(`${label}: API/plain req/s = ${(api.requestsPerSecond / base.requestsPerSecond).toFixed(2)}×`);
    }
    console.log(`\n### GET /products (${IN_TENANT} in the tenant, ${IN_TABLE} in the table, 50 connections, ${seconds} s)\n`);
    printTable(rows, rows[0]);
  } finally {
    await pool.end();
    await bench.app.close();
  }
}

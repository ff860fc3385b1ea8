import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { percentile } from './database';

/**
 * `node -r ts-node/register/transpile-only bench/round-trips.ts`: database round trips and latency
 * of one simple GET (products list, API key) through the real app, in-process (Fastify inject).
 * Counts every pg `Client.query` call. Works on code with or without row-level security: with it,
 * migrations run as the owner and the app connects as the runtime role.
 */
async function main(): Promise<void> {
  const server = process.env.BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
  const dbName = process.env.BENCH_DB ?? 'cbapi_bench_round_trips';
  const admin = new Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const ownerUrl = `${server}/${dbName}`;
  const owner = new DataSource(dataSourceOptions({ DATABASE_URL: ownerUrl, DATABASE_POOL_SIZE: 2 }));
  await owner.initialize();
  await owner.runMigrations({ transaction: 'each' });
  let appUrl = ownerUrl;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const rls = require('../src/database/row-level-security');
    appUrl = Object.assign(new URL(ownerUrl), { username: rls.RUNTIME_ROLE }).toString();
    await rls.allowRuntimeLogin(owner, appUrl);
  } catch {
    // code without row-level security: the app connects as the owner
  }
  await owner.destroy();

  Object.assign(process.env, {
    DATABASE_URL: appUrl, MIGRATION_DATABASE_URL: ownerUrl, REDIS_URL: process.env.BENCH_REDIS ?? 'redis://127.0.0.1:6379/12',
    LOG_LEVEL: 'silent', NODE_ENV: 'test', RATE_LIMIT_READS_PER_MINUTE: '100000000', RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
  });
  // Loaded only now: the app reads its settings when its modules load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createApp } = require('../src/app.factory') as typeof import('../src/app.factory');
  const app = await createApp();
  const fastify = app.getHttpAdapter().getInstance();
  const call = async (method: 'GET' | 'POST', url: string, token?: string, body?: unknown) => {
    const res = await fastify.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload: body as object });
    return { status: res.statusCode, body: JSON.parse(res.body || '{}') };
  };
  const signUp = await call('POST', '/api/v1/tenants', undefined, { name: 'Bench', email: 'bench@example.test', password: 'correct-horse-battery' });
  const jwt = signUp.body.data.access_token as string;
  const key = (await call('POST', '/api/v1/api-keys', jwt, { name: 'bench', access: 'read_write' })).body.data.secret as string;
  for (let i = 0; i < 20; i += 1) await call('POST', '/api/v1/products', key, { sku: `SKU-${i}`, name: `Product ${i}`, price: 100 + i });

  let queries = 0;
  // Counts every statement the app sends: pg's Client.query wrapped for the run, as a plain function (its typed overloads do not survive the wrapper).
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    queries += 1;
    return original.apply(this, args);
  };
  for (const [label, token] of [['API key', key], ['JWT', jwt]] as const) {
    for (let i = 0; i < 50; i += 1) await call('GET', '/api/v1/products?per_page=20', token); // warm-up
    const n = 500;
    const times: number[] = [];
    queries = 0;
    for (let i = 0; i < n; i += 1) {
      const started = process.hrtime.bigint();
      const res = await call('GET', '/api/v1/products?per_page=20', token);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200 || res.body.data.length !== 20) throw new Error(`GET /products answered ${res.status}`);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((s, t) => s + t, 0) / n;
    console.log(`GET /products (${label}, 20 of 20 rows): ${(queries / n).toFixed(2)} round trips/request, mean ${mean.toFixed(2)} ms, p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`);
  }
  prototype.query = original;
  await app.close();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

import 'reflect-metadata';
import { benchAnalytics } from './analytics.bench';
import { benchAuthOverhead } from './auth-overhead.bench';
import { freshBenchDatabase } from './database';
import { benchOrders } from './orders.bench';
import { benchProductsList } from './products-list.bench';
import { benchWebhooks } from './webhooks.bench';

/**
 * `npm run bench [-- name…]`: runs the benchmarks against DATABASE_URL / REDIS_URL, by default a fresh
 * `cbapi_bench` database (all migrations) on the local PostgreSQL and Redis database 6. Each reports ratios against a baseline measured
 * in the same run, so numbers from different machines stay comparable.
 */
const BENCHES: Record<string, (seconds: number) => Promise<void>> = {
  auth: benchAuthOverhead,
  webhooks: benchWebhooks,
  products: benchProductsList,
  orders: benchOrders,
  analytics: benchAnalytics,
};

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= await freshBenchDatabase();
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/6';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.RATE_LIMIT_READS_PER_MINUTE ??= '100000000';
  process.env.RATE_LIMIT_WRITES_PER_MINUTE ??= '100000000';
  process.env.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE ??= '100000000';
  // Bench tenants are created verified (as by the operator CLI), so they may hold live keys.
  process.env.SIGNUP_VERIFICATION ??= 'false';
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    await bench(seconds);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

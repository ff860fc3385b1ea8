import 'reflect-metadata';
import { benchAnalytics } from './analytics.bench';
import { freshBenchDatabase } from './database';

/**
 * `node -r ts-node/register/transpile-only bench/in-process.ts [analytics]`: the benchmarks that
 * still run inside one process (the analytics reports of issue 20, bench/ANALYTICS.md) against
 * DATABASE_URL / REDIS_URL, by default a fresh `cbapi_bench` database and Redis database 6. The
 * throughput benchmarks of issue 16 moved to `npm run bench` (bench/run.ts), which runs every
 * server and the load generator as separate processes.
 */
const BENCHES: Record<string, () => Promise<void>> = {
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
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
    await bench();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

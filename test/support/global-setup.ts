import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import Redis from 'ioredis';
import { DevServiceError } from '../../src/dev/dev-service';
import { allowRuntimeLogin } from '../../src/database/row-level-security';
import { runtimeUrlFor } from './test-env-values';
import { ensureTestServices, type TestServices } from './test-services';

/** What the global teardown stops (it runs in the same process as this setup). */
export const SERVICES_KEY = '__cbapiTestServices';

/**
 * Once per e2e run: finds or starts PostgreSQL and Redis (test-services.ts) and hands their URLs
 * to the test processes through the environment; then a fresh database with every migration
 * applied, and an empty test Redis database (login-failure counters and denylists from an earlier
 * run must not leak in). Test files then make their own tenants. Migrations run as the owner.
 */
export default async function globalSetup(): Promise<void> {
  let services: TestServices;
  try {
    services = await ensureTestServices();
  } catch (err) {
    // One line that says what to do, not a stack through our helpers.
    if (err instanceof DevServiceError) err.stack = `${err.name}: ${err.message}`;
    throw err;
  }
  (globalThis as Record<string, unknown>)[SERVICES_KEY] = services;
  // Test processes start after this setup and inherit the environment.
  process.env.TEST_DATABASE_URL = services.databaseUrl;
  process.env.TEST_REDIS_URL = services.redisUrl;
  const runtimeUrl = (process.env.TEST_RUNTIME_DATABASE_URL ??= runtimeUrlFor(services.databaseUrl));
  if (services.notes.some((n) => n.includes('started for this run'))) process.stdout.write(`\n${services.notes.join('\n')}\n`);

  const redis = new Redis(services.redisUrl);
  await redis.flushdb();
  await redis.quit();

  const url = new URL(services.databaseUrl);
  const dbName = url.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();

  const dataSource = new DataSource(dataSourceOptions({ DATABASE_URL: services.databaseUrl, DATABASE_POOL_SIZE: 2 }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  // Development aid while an entity has no migration yet; CI never sets it, and the migrations
  // check fails until the migration exists.
  if (process.env.TEST_SCHEMA_SYNC === '1') await dataSource.synchronize();
  // Migrations run as the owner; the app under test connects as the runtime role.
  await allowRuntimeLogin(dataSource, runtimeUrl);
  await dataSource.destroy();
}

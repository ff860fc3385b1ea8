import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import Redis from 'ioredis';
import { allowRuntimeLogin } from '../../src/database/row-level-security';
import { TEST_DATABASE_URL, TEST_REDIS_URL, TEST_RUNTIME_DATABASE_URL } from './test-env-values';

/**
 * Once per e2e run: a fresh database with every migration applied, and an empty test Redis
 * database (login-failure counters and denylists from an earlier run must not leak in).
 * Test files then make their own tenants. Migrations run as the owner (TEST_DATABASE_URL).
 */
export default async function globalSetup(): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  await redis.flushdb();
  await redis.quit();

  const url = new URL(TEST_DATABASE_URL);
  const dbName = url.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();

  const dataSource = new DataSource(dataSourceOptions({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_POOL_SIZE: 2 }));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  // Development aid while an entity has no migration yet; CI never sets it, and the migrations
  // check fails until the migration exists.
  if (process.env.TEST_SCHEMA_SYNC === '1') await dataSource.synchronize();
  // Migrations run as the owner; the app under test connects as the runtime role.
  await allowRuntimeLogin(dataSource, TEST_RUNTIME_DATABASE_URL);
  await dataSource.destroy();
}

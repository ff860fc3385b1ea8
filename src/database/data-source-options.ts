import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';

/**
 * The timeouts bound every connection of the app and the worker, so a saturated pool or a stuck
 * statement fails fast (503) instead of holding a request forever. Callers that pass none (the
 * migration runs of `npm start` and the test setup) get PostgreSQL's defaults: a migration may
 * legitimately run longer than a request may.
 */
export type DatabaseTimeouts = Partial<
  Pick<AppConfig, 'DATABASE_ACQUIRE_TIMEOUT_MS' | 'DATABASE_STATEMENT_TIMEOUT_MS' | 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'>
>;

/** One definition of the database connection for the app, the worker, the CLI and the tests. */
export function dataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'> & DatabaseTimeouts): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: config.DATABASE_POOL_SIZE,
      application_name: 'cbapi',
      // pg-pool: how long `connect()` waits for a free (or new) client before it fails.
      ...(config.DATABASE_ACQUIRE_TIMEOUT_MS ? { connectionTimeoutMillis: config.DATABASE_ACQUIRE_TIMEOUT_MS } : {}),
      // Sent as startup parameters, so they hold for every statement on every pooled connection.
      ...(config.DATABASE_STATEMENT_TIMEOUT_MS ? { statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS } : {}),
      ...(config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS
        ? { idle_in_transaction_session_timeout: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS }
        : {}),
    },
  };
}

/** The owner's connection, for running migrations (MIGRATION_DATABASE_URL, else DATABASE_URL). */
export function migrationDataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return dataSourceOptions({ DATABASE_URL: config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL, DATABASE_POOL_SIZE: 2 });
}

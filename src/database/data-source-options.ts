import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ENTITIES } from './entities';

/** One definition of the database connection for the app, the worker, the CLI and the tests. */
export function dataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: config.DATABASE_POOL_SIZE, application_name: 'cbapi' },
  };
}

/** The owner's connection, for running migrations (MIGRATION_DATABASE_URL, else DATABASE_URL). */
export function migrationDataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'MIGRATION_DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions {
  return dataSourceOptions({ DATABASE_URL: config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL, DATABASE_POOL_SIZE: 2 });
}

import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { TEST_DATABASE_URL } from './test-env-values';

let owner: Promise<DataSource> | undefined;

/**
 * The database as its owner sees it (a superuser locally: row-level security does not apply), for
 * tests that inspect or age rows directly. The app itself connects as the runtime role, where the
 * same raw query without a tenant scope would see no row. One per test process; its idle
 * connections close on their own, so it never holds the process open.
 */
export function ownerDb(): Promise<DataSource> {
  owner ??= new DataSource({
    ...dataSourceOptions({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_POOL_SIZE: 2 }),
    extra: { max: 2, application_name: 'cbapi-test-owner', idleTimeoutMillis: 500, allowExitOnIdle: true },
  }).initialize();
  return owner;
}

import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { TEST_DATABASE_URL } from '../test/support/test-env-values';

/**
 * Fails when the entities and the migrations disagree: on a fresh database with every migration
 * applied, TypeORM's schema diff (what `migration:generate` would write) must be empty.
 */
async function main(): Promise<void> {
  const url = new URL(TEST_DATABASE_URL);
  // Named after the test database, so two checkouts with their own TEST_DATABASE_URL never collide.
  const checkDb = `${url.pathname.slice(1)}_migration_check`;
  url.pathname = `/${checkDb}`;
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${checkDb}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${checkDb}"`);

  const dataSource = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: 2 }));
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length > 0) {
      console.error(`Entities and migrations disagree; migration:generate would write ${pending.upQueries.length} statement(s):`);
      for (const q of pending.upQueries) console.error(`  ${q.query}`);
      process.exitCode = 1;
    } else {
      console.log(`migrations check: ${applied.length} migration(s) applied, entities match (0 pending statements)`);
    }
    const reverted = await revertAll(dataSource);
    console.log(`migrations check: ${reverted} migration(s) reverted cleanly`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${checkDb}" WITH (FORCE)`);
    await admin.end();
  }
}

async function revertAll(dataSource: DataSource): Promise<number> {
  let count = 0;
  while ((await dataSource.query(`SELECT count(*)::int AS n FROM schema_migrations`))[0].n > 0) {
    await dataSource.undoLastMigration({ transaction: 'each' });
    count += 1;
  }
  return count;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { isTenantKeyStatement } from '../src/database/tenant-keys';
import { allowRuntimeLogin, describeCurrentRole, RUNTIME_ROLE, tenantTablesWithoutRls } from '../src/database/row-level-security';
import { DevServiceError } from '../src/dev/dev-service';
import { ensureTestServices } from '../test/support/test-services';
import { checkDistributionKeys } from './distribution-keys';

/**
 * Fails when the entities and the migrations disagree: on a fresh database with every migration
 * applied, TypeORM's schema diff (what `migration:generate` would write) must be empty. Also
 * fails when a table with a tenant_id lacks row-level security (enabled, forced, a policy), or
 * when the runtime role owns a table or bypasses row-level security.
 */
async function main(): Promise<void> {
  // The test PostgreSQL (TEST_DATABASE_URL, the local one, or an embedded one started for this check).
  const services = await ensureTestServices({ redis: false });
  try {
    await check(new URL(services.databaseUrl));
  } finally {
    await services.stop();
  }
}

async function check(url: URL): Promise<void> {
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
    // The composite tenant keys (src/database/tenant-keys.ts) live in migrations only.
    const pending = { upQueries: (await dataSource.driver.createSchemaBuilder().log()).upQueries.filter((q) => !isTenantKeyStatement(q.query)) };
    if (pending.upQueries.length > 0) {
      console.error(`Entities and migrations disagree; migration:generate would write ${pending.upQueries.length} statement(s):`);
      for (const q of pending.upQueries) console.error(`  ${q.query}`);
      process.exitCode = 1;
    } else {
      console.log(`migrations check: ${applied.length} migration(s) applied, entities match (0 pending statements)`);
    }
    const unguarded = await tenantTablesWithoutRls(dataSource);
    if (unguarded.length > 0) {
      console.error('Tenant tables without row-level security (call enableTenantRls in the migration that creates them):');
      for (const u of unguarded) console.error(`  ${u.table}: ${u.problem}`);
      process.exitCode = 1;
    } else {
      console.log('migrations check: every table with a tenant_id has row-level security enabled, forced and a policy');
    }
    await checkRuntimeRole(dataSource, url);
    const keys = await checkDistributionKeys(dataSource);
    if (keys.unlisted.length > 0 || keys.stale.length > 0) {
      for (const g of keys.unlisted) console.error(`  tenant key without tenant_id (lead with tenant_id, or list it in scripts/distribution-keys.ts): ${g}`);
      for (const g of keys.stale) console.error(`  listed in scripts/distribution-keys.ts but gone (delete it there and in the README): ${g}`);
      process.exitCode = 1;
    } else {
      console.log(`migrations check: every unique key of a tenant table includes tenant_id but the ${keys.gaps.length} listed in scripts/distribution-keys.ts`);
    }
    const reverted = await revertAll(dataSource);
    console.log(`migrations check: ${reverted} migration(s) reverted cleanly`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS "${checkDb}" WITH (FORCE)`);
    await admin.end();
  }
}

async function checkRuntimeRole(owner: DataSource, url: URL): Promise<void> {
  const runtimeUrl = Object.assign(new URL(url), { username: RUNTIME_ROLE, password: '' }).toString();
  await allowRuntimeLogin(owner, runtimeUrl);
  const runtime = new Client({ connectionString: runtimeUrl });
  await runtime.connect();
  try {
    const role = await describeCurrentRole({ query: async (sql: string, params?: unknown[]) => (await runtime.query(sql, params as unknown[])).rows });
    if (role.superuser || role.bypassRls || role.ownedTables > 0) {
      console.error(`The runtime role ${role.role} must be neither superuser nor owner: ${JSON.stringify(role)}`);
      process.exitCode = 1;
    } else {
      console.log(`migrations check: runtime role ${role.role} is no superuser, cannot bypass RLS and owns no table`);
    }
  } finally {
    await runtime.end();
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
  // A database we could not start says what to do in one line; anything else is a bug: full stack.
  console.error(err instanceof DevServiceError ? `migrations check: ${err.message}` : err);
  process.exit(1);
});

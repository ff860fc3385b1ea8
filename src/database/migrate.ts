import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { migrationDataSourceOptions } from './data-source-options';
import { allowRuntimeLogin } from './row-level-security';

/**
 * The release step (`node dist/src/database/migrate.js`, docker-compose's `migrate` service): runs
 * the migrations as the owner (MIGRATION_DATABASE_URL) and, when DATABASE_URL names the runtime
 * role, lets that role log in with DATABASE_URL's password. The API and worker then connect as it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await new DataSource(migrationDataSourceOptions(config)).initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`migrations: ${ran.length ? ran.map((m) => m.name).join(', ') : 'up to date'}\n`);
    if (await allowRuntimeLogin(dataSource, config.DATABASE_URL)) process.stdout.write('runtime role may log in\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

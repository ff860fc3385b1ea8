import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { allowRuntimeLogin, RUNTIME_ROLE } from '../src/database/row-level-security';

/** A fresh benchmark database (BENCH_DB, default cbapi_bench) with every migration applied; returns its URL. */
export async function freshBenchDatabase(serverUrl = 'postgres://postgres@127.0.0.1:5432', name = process.env.BENCH_DB ?? 'cbapi_bench'): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_DB must be a plain database name: ${name}`);
  const admin = new Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${serverUrl}/${name}`;
  const ds = new DataSource(dataSourceOptions({ DATABASE_URL: url, DATABASE_POOL_SIZE: 2 }));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  return url;
}

/**
 * A fresh benchmark database as production runs it: migrated by the owner, used by the runtime role
 * (row-level security applies to it). Returns both URLs.
 */
export async function freshRuntimeDatabase(serverUrl?: string, name?: string): Promise<{ ownerUrl: string; appUrl: string }> {
  const ownerUrl = await freshBenchDatabase(serverUrl, name);
  const appUrl = Object.assign(new URL(ownerUrl), { username: RUNTIME_ROLE }).toString();
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await allowRuntimeLogin({ query: async (sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows }, appUrl);
  } finally {
    await owner.end();
  }
  return { ownerUrl, appUrl };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

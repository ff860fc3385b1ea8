/**
 * Composite foreign keys that keep a reference inside its tenant and mode: a child row's
 * (tenant_id, mode, parent_id) must name a parent row with the same tenant_id and mode, so no
 * bug and no forged id can link rows across tenants. TypeORM does not model keys that overlap
 * plain columns, so they live in migrations only, under the `tk_` prefix that the migrations
 * check (scripts/migration-check.ts) leaves to them.
 */
export const TENANT_KEY_PREFIX = 'tk_';

interface Queryable {
  query<Row = unknown>(sql: string, parameters?: unknown[]): Promise<Row[]>;
}

/** True for a statement TypeORM's schema diff proposes only because it does not know the tenant keys. */
export function isTenantKeyStatement(sql: string): boolean {
  return new RegExp(`CONSTRAINT "${TENANT_KEY_PREFIX}`).test(sql);
}

/** The unique (tenant_id[, mode], id) a tenant key references. Idempotent. */
export async function addTenantUnique(q: Queryable, table: string, withMode = true): Promise<void> {
  const name = `${TENANT_KEY_PREFIX}${table}_scope_id`;
  const exists = await q.query(`SELECT 1 FROM pg_constraint WHERE conname = $1`, [name]);
  if (exists.length) return;
  await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${name}" UNIQUE ("tenant_id",${withMode ? ' "mode",' : ''} "id")`);
}

/** child(tenant_id[, mode], column) → parent(tenant_id[, mode], id); a NULL column is not checked. */
export async function addTenantForeignKey(q: Queryable, child: string, column: string, parent: string, withMode = true): Promise<void> {
  await addTenantUnique(q, parent, withMode);
  const cols = withMode ? '"tenant_id", "mode"' : '"tenant_id"';
  await q.query(
    `ALTER TABLE "${child}" ADD CONSTRAINT "${TENANT_KEY_PREFIX}${child}_${column}" FOREIGN KEY (${cols}, "${column}") REFERENCES "${parent}" (${cols}, "id")`,
  );
}

export async function dropTenantForeignKey(q: Queryable, child: string, column: string): Promise<void> {
  await q.query(`ALTER TABLE "${child}" DROP CONSTRAINT IF EXISTS "${TENANT_KEY_PREFIX}${child}_${column}"`);
}

export async function dropTenantUnique(q: Queryable, table: string): Promise<void> {
  await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT IF EXISTS "${TENANT_KEY_PREFIX}${table}_scope_id"`);
}

/**
 * Row-level security for tenant tables: the one definition migrations apply and checks verify.
 *
 * Every table with a `tenant_id` column gets RLS enabled and FORCED (so even the owner obeys it
 * outside migrations) and two policies:
 * - `tenant_isolation`: rows of the transaction's `app.tenant_id` (and `app.mode` where the
 *   table has a mode and is not one of TENANT_WIDE_TABLES);
 * - `cross_tenant_path`: every row while `app.cross_tenant` names a reason (src/database/cross-tenant.ts).
 * A missing setting compares as NULL or '', so a statement without settings sees no row.
 *
 * A migration that creates a tenant table calls `enableTenantRls(queryRunner, 'new_table')` after
 * CREATE TABLE; `npm run migration:check` fails while a tenant table lacks it. The SQL here is run
 * by landed migrations: change it only in ways that keep their result (add, don't alter).
 */

/** The role the API and worker connect as: owns nothing, not a superuser, subject to RLS. */
export const RUNTIME_ROLE = 'cbapi_app';

/** Tables with a mode whose rows a tenant reads across both modes (API keys, sessions and OAuth apps are listed per tenant). */
export const TENANT_WIDE_TABLES: readonly string[] = ['api_keys', 'refresh_tokens', 'oauth_clients', 'oauth_grants', 'oauth_codes', 'oauth_tokens'];

interface Queryable {
  query<Row = unknown>(sql: string, parameters?: unknown[]): Promise<Row[]>;
}

const CROSS_TENANT = `coalesce(current_setting('app.cross_tenant', true), '') <> ''`;

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain table name: ${name}`);
  return `"${name}"`;
}

/** Enables, forces and (re)creates the tenant policies of one table. Idempotent. */
export async function enableTenantRls(q: Queryable, table: string): Promise<void> {
  const hasMode = (await q.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 AND column_name = 'mode'`,
    [table],
  )).length > 0;
  const byTenant = `tenant_id = current_setting('app.tenant_id', true)`;
  const own = hasMode && !TENANT_WIDE_TABLES.includes(table) ? `${byTenant} AND mode = current_setting('app.mode', true)` : byTenant;
  const t = ident(table);
  await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  await q.query(`DROP POLICY IF EXISTS tenant_isolation ON ${t}`);
  await q.query(`CREATE POLICY tenant_isolation ON ${t} USING (${own}) WITH CHECK (${own})`);
  await q.query(`DROP POLICY IF EXISTS cross_tenant_path ON ${t}`);
  await q.query(`CREATE POLICY cross_tenant_path ON ${t} USING (${CROSS_TENANT}) WITH CHECK (${CROSS_TENANT})`);
}

/** Every base table of the public schema with a tenant_id column. */
export async function tenantTables(q: Queryable): Promise<string[]> {
  const rows: { table_name: string }[] = await q.query(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Tenant tables whose RLS is not enabled, not forced, or has no policy; [] when all are guarded. */
export async function tenantTablesWithoutRls(q: Queryable): Promise<{ table: string; problem: string }[]> {
  const rows: { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }[] = await q.query(
    `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
            (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY($1::text[])`,
    [await tenantTables(q)],
  );
  return rows.flatMap((r) => {
    if (!r.relrowsecurity) return [{ table: r.relname, problem: 'row level security not enabled' }];
    if (!r.relforcerowsecurity) return [{ table: r.relname, problem: 'row level security not forced' }];
    if (r.policies === 0) return [{ table: r.relname, problem: 'no policy' }];
    return [];
  });
}

/**
 * Creates the runtime role (NOLOGIN: `allowRuntimeLogin` lets it log in where the deployment
 * wants that) and gives it data rights only: no ownership, no DDL, and the same rights on the
 * tables later migrations create (default privileges of the migrating owner).
 */
export async function grantRuntimeRole(q: Queryable): Promise<void> {
  const role = ident(RUNTIME_ROLE);
  await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN
        CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
      END IF;
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${RUNTIME_ROLE}', current_database());
    END $$`);
  await q.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
  await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
  // The migrations table belongs to the release step alone.
  await q.query(`REVOKE ALL ON TABLE schema_migrations FROM ${role}`);
}

/**
 * Lets the runtime role log in with the password of `runtimeUrl` (none: trust/peer setups).
 * Run by the release step as the owner when DATABASE_URL names the runtime role; needs CREATEROLE.
 */
export async function allowRuntimeLogin(q: Queryable, runtimeUrl: string): Promise<boolean> {
  const url = new URL(runtimeUrl);
  if (decodeURIComponent(url.username) !== RUNTIME_ROLE) return false;
  const password = decodeURIComponent(url.password);
  const rows: { literal: string }[] = password ? await q.query(`SELECT quote_literal($1::text) AS literal`, [password]) : [];
  await q.query(`ALTER ROLE ${ident(RUNTIME_ROLE)} LOGIN${password ? ` PASSWORD ${rows[0].literal}` : ''}`);
  return true;
}

/** Who the connection runs as: the checks that the runtime role is neither owner nor superuser. */
export async function describeCurrentRole(q: Queryable): Promise<{ role: string; superuser: boolean; bypassRls: boolean; ownedTables: number }> {
  const [row] = await q.query<{ role: string; superuser: boolean; bypass_rls: boolean; owned_tables: number }>(
    `SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
            (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned_tables
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  return { role: row.role, superuser: row.superuser, bypassRls: row.bypass_rls, ownedTables: row.owned_tables };
}

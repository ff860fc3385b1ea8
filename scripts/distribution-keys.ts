/**
 * What the README's "Scaling beyond one database" claims, checked by `npm run migration:check`: in a
 * distributed PostgreSQL (Citus, distribution column tenant_id) every primary and unique key of a
 * tenant table must include tenant_id. The keys that do not yet are listed here, precisely; the
 * check fails on a new one (a new table or index must lead with tenant_id) and on a listed one that
 * is gone (then delete it here and in the README).
 */

interface Queryable {
  query<Row = unknown>(sql: string, parameters?: unknown[]): Promise<Row[]>;
}

/** Tenant tables whose primary key is still (id) alone: ids are global UUIDv7s, so (tenant_id, id) would be equivalent. */
const PRIMARY_KEY_ID_ONLY = [
  'api_keys', 'checkout_links', 'customer_addresses', 'customers', 'disputes', 'events', 'invoice_lines',
  'invoice_page_tokens', 'invoices', 'locations', 'order_lines', 'order_status_history', 'orders', 'outbound_emails',
  'payment_intents', 'payment_methods', 'product_tiers', 'product_variants', 'products', 'refresh_tokens', 'refunds',
  'service_periods', 'services', 'stock_alerts', 'stock_movements', 'transactions', 'users', 'webhook_attempts',
  'webhook_deliveries', 'webhook_endpoints',
];

/**
 * Global on purpose: a secret presented before the tenant is known (API key, refresh token, a
 * hosted-page link's token, an OAuth code or token) is looked up by its hash alone. Under Citus these tables become
 * reference tables, or the lookup moves to a small global table (hash → tenant_id).
 */
const GLOBAL_LOOKUPS = [
  'api_keys unique uq_api_keys_lookup (lookup)',
  'checkout_links unique uq_checkout_links_token_hash (token_hash)',
  'invoice_page_tokens unique uq_invoice_page_tokens_hash (token_hash)',
  'oauth_codes unique uq_oauth_codes_hash (code_hash)',
  'oauth_tokens unique uq_oauth_tokens_hash (token_hash)',
  'refresh_tokens unique uq_refresh_tokens_hash (token_hash)',
];

export const KNOWN_DISTRIBUTION_KEY_GAPS: readonly string[] = [...PRIMARY_KEY_ID_ONLY.map((t) => `${t} primary key (id)`), ...GLOBAL_LOOKUPS];

/** Every primary or unique key of a table with a tenant_id column that does not include tenant_id. */
export async function distributionKeyGaps(q: Queryable): Promise<string[]> {
  const rows: { table_name: string; index_name: string; is_primary: boolean; columns: string }[] = await q.query(
    `SELECT t.relname AS table_name, i.relname AS index_name, x.indisprimary AS is_primary,
            (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
               FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns
       FROM pg_class t
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       JOIN pg_index x ON x.indrelid = t.oid AND x.indisunique
       JOIN pg_class i ON i.oid = x.indexrelid
      WHERE t.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = t.oid AND c.attname = 'tenant_id' AND NOT c.attisdropped)
        AND NOT EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = t.oid AND c.attnum = ANY(x.indkey) AND c.attname = 'tenant_id')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => (r.is_primary ? `${r.table_name} primary key (${r.columns})` : `${r.table_name} unique ${r.index_name} (${r.columns})`));
}

/** Problems for the migrations check: unlisted gaps (regressions) and listed gaps that are gone (a stale list). */
export async function checkDistributionKeys(q: Queryable): Promise<{ gaps: string[]; unlisted: string[]; stale: string[] }> {
  const gaps = await distributionKeyGaps(q);
  return {
    gaps,
    unlisted: gaps.filter((g) => !KNOWN_DISTRIBUTION_KEY_GAPS.includes(g)),
    stale: KNOWN_DISTRIBUTION_KEY_GAPS.filter((g) => !gaps.includes(g)),
  };
}

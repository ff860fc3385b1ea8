import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';

/**
 * Test-mode rows that survive a reset: the tenant's credentials and settings (keys, tokens,
 * webhook endpoints, redirect domains, shipping zones, ticket departments, prices of TLDs), not its commerce data.
 */
export const KEPT_ON_RESET = new Set<string>([
  'api_keys',
  'refresh_tokens',
  'oauth_clients',
  'oauth_codes',
  'oauth_grants',
  'oauth_tokens',
  'idempotency_keys',
  'webhook_endpoints',
  'redirect_domains',
  'stripe_links',
  'shipping_settings',
  'shipping_zones',
  'ticket_departments',
  'tld_prices',
]);

/** The SQL of a sandbox reset: every tenant table's test-mode rows of one tenant, children first. */
@Injectable()
export class SandboxRepository extends TenantScopedRepository {
  /**
   * Serializes resets of one tenant's sandbox until the transaction ends. Two resets running side by
   * side each deleted what they saw and then both seeded, leaving two copies of the sample data;
   * the second now waits, and its deletes (each statement a fresh snapshot) see the first's rows.
   */
  async lockForReset(ctx: RequestContext): Promise<void> {
    await this.lockUntilCommit(ctx, 'sandbox-reset', [], { acrossModes: true });
  }

  /** Tables with tenant_id and mode columns, ordered so no row is deleted before the rows referencing it. */
  async tablesInDeleteOrder(ctx: RequestContext): Promise<string[]> {
    const m = this.m(ctx);
    const tables: { name: string }[] = await m.query(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
          AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'mode' AND NOT a.attisdropped)`,
    );
    const edges: { child: string; parent: string }[] = await m.query(
      `SELECT ch.relname AS child, pa.relname AS parent FROM pg_constraint k
         JOIN pg_class ch ON ch.oid = k.conrelid JOIN pg_class pa ON pa.oid = k.confrelid
        WHERE k.contype = 'f' AND ch.oid <> pa.oid`,
    );
    const names = new Set(tables.map((t) => t.name).filter((t) => !KEPT_ON_RESET.has(t)));
    const ordered: string[] = [];
    while (names.size > 0) {
      // Next: a table no remaining table references; a cycle (none today) falls back to any.
      const free = [...names].filter((t) => !edges.some((e) => e.parent === t && e.child !== t && names.has(e.child)));
      const next = (free.length > 0 ? free : [...names]).sort()[0];
      ordered.push(next);
      names.delete(next);
    }
    return ordered;
  }

  async deleteTestRows(ctx: RequestContext, table: string): Promise<number> {
    const result: [unknown[], number] = await this.m(ctx).query(`DELETE FROM "${table}" WHERE tenant_id = $1 AND mode = 'test'`, [ctx.tenant]);
    return result[1] ?? 0;
  }
}

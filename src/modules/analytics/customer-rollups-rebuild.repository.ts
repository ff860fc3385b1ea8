import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';

const CUSTOMER_ROLLUPS = ['analytics_customer_cohorts', 'analytics_customer_geography', 'analytics_customer_recency', 'analytics_customer_returns'];

/**
 * Recomputes the customer rollups of ctx from analytics' facts and customer totals (the rebuild's
 * second half, after the customer totals): rows are deleted and inserted, not upserted, because a
 * customer moves between keys and a key may be left with no one. Hours, days and months are UTC.
 */
@Injectable()
export class CustomerRollupsRebuildRepository extends TenantScopedRepository {
  async recompute(ctx: RequestContext): Promise<void> {
    const m = this.m(ctx);
    const scope = [ctx.tenant, ctx.mode];
    // Each counted order's previous counted order of the same customer and currency; rows already right are left alone.
    await m.query(
      `UPDATE analytics_order_facts f SET prev_at = x.prev_at
         FROM (SELECT order_id, CASE WHEN counted THEN lag(placed_at) OVER (PARTITION BY customer_id, currency, counted ORDER BY placed_at, order_id) END AS prev_at
                 FROM analytics_order_facts WHERE tenant_id = $1 AND mode = $2) x
        WHERE f.tenant_id = $1 AND f.mode = $2 AND f.order_id = x.order_id AND f.prev_at IS DISTINCT FROM x.prev_at`,
      scope,
    );
    await this.clear(ctx);
    const segments: { table: string; keys: string; expressions: string; units?: string }[] = [
      { table: 'analytics_customer_cohorts', keys: 'unit, first_start', expressions: `u.unit, date_trunc(u.unit, first_order_at, 'UTC')`, units: `('hour'), ('day')` },
      { table: 'analytics_customer_geography', keys: 'country, region', expressions: `coalesce(country, ''), coalesce(region, '')` },
      { table: 'analytics_customer_recency', keys: 'last_day', expressions: `date_trunc('day', last_order_at, 'UTC')` },
    ];
    for (const { table, keys, expressions, units } of segments) {
      const groups = keys.split(', ').map((_, i) => String(4 + i)).join(', ');
      await m.query(
        `INSERT INTO ${table} (tenant_id, mode, currency, ${keys}, customers, orders, lifetime_value)
         SELECT tenant_id, mode, currency, ${expressions}, count(*), sum(orders), sum(revenue - refunds)
           FROM analytics_customer_totals ${units ? `CROSS JOIN (VALUES ${units}) AS u(unit)` : ''}
          WHERE tenant_id = $1 AND mode = $2
          GROUP BY tenant_id, mode, currency, ${groups}`,
        scope,
      );
    }
    await m.query(
      `INSERT INTO analytics_customer_returns (tenant_id, mode, currency, next_unit, prev_unit, next_start, prev_start, returns)
       SELECT f.tenant_id, f.mode, f.currency, u.next_unit, u.prev_unit, date_trunc(u.next_unit, f.placed_at, 'UTC'), date_trunc(u.prev_unit, f.prev_at, 'UTC'), count(*)
         FROM analytics_order_facts f
        CROSS JOIN (VALUES ('day', 'day'), ('day', 'month'), ('month', 'day'), ('month', 'month')) AS u(next_unit, prev_unit)
        WHERE f.tenant_id = $1 AND f.mode = $2 AND f.counted AND f.prev_at IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6, 7`,
      scope,
    );
  }

  /** Removes ctx's customer rollups. */
  async clear(ctx: RequestContext): Promise<void> {
    for (const table of CUSTOMER_ROLLUPS) await this.m(ctx).query(`DELETE FROM ${table} WHERE tenant_id = $1 AND mode = $2`, [ctx.tenant, ctx.mode]);
  }
}

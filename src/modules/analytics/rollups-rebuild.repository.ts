import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';

const SALES = 'orders, revenue, units, refunds, cancelled_orders';
const PRODUCT = 'orders, revenue, units, refunds, refunded_orders';
const replaced = (columns: string) => columns.split(', ').map((c) => `${c} = EXCLUDED.${c}`).join(', ');

/**
 * The rebuild of the order rollups and customer totals: every row recomputed from the facts
 * (INSERT … SELECT … ON CONFLICT DO UPDATE), the day and month periods from the hourly rows. Keys
 * only ever appear (facts are never deleted), so no row goes stale; the e2e tests check that the
 * event path and the rebuild give the same reports.
 */
@Injectable()
export class RollupsRebuildRepository extends TenantScopedRepository {
  /**
   * Inside the rebuild's transaction: lifts DATABASE_STATEMENT_TIMEOUT_MS (a request's cap) for the
   * rest of it. Each recomputation is one statement over all of the tenant's facts; at a million
   * orders the per-product one runs for minutes on a small server.
   */
  async allowLongStatements(ctx: RequestContext): Promise<void> {
    await this.m(ctx).query(`SELECT set_config('statement_timeout', '0', true)`);
  }

  /** Recomputes every hourly row of ctx from its facts. */
  async recomputeHourly(ctx: RequestContext): Promise<void> {
    const params: unknown[] = [ctx.tenant, ctx.mode];
    const where = 'f.tenant_id = $1 AND f.mode = $2';
    const m = this.m(ctx);
    await m.query(
      `INSERT INTO analytics_sales_hourly (tenant_id, mode, currency, hour, orders, revenue, units, refunds, cancelled_orders)
       SELECT f.tenant_id, f.mode, f.currency, f.placed_hour,
              count(*) FILTER (WHERE f.counted), coalesce(sum(f.total) FILTER (WHERE f.counted), 0),
              coalesce(sum(f.units) FILTER (WHERE f.counted), 0), coalesce(sum(f.refunded) FILTER (WHERE f.counted), 0),
              count(*) FILTER (WHERE NOT f.counted)
         FROM analytics_order_facts f WHERE ${where}
        GROUP BY 1, 2, 3, 4
       ON CONFLICT (tenant_id, mode, currency, hour) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue,
         units = EXCLUDED.units, refunds = EXCLUDED.refunds, cancelled_orders = EXCLUDED.cancelled_orders`,
      params,
    );
    await m.query(
      `INSERT INTO analytics_region_hourly (tenant_id, mode, currency, hour, country, region, orders, revenue, units, refunds, cancelled_orders)
       SELECT f.tenant_id, f.mode, f.currency, f.placed_hour, coalesce(f.country, ''), coalesce(f.region, ''),
              count(*) FILTER (WHERE f.counted), coalesce(sum(f.total) FILTER (WHERE f.counted), 0),
              coalesce(sum(f.units) FILTER (WHERE f.counted), 0), coalesce(sum(f.refunded) FILTER (WHERE f.counted), 0),
              count(*) FILTER (WHERE NOT f.counted)
         FROM analytics_order_facts f WHERE ${where}
        GROUP BY 1, 2, 3, 4, 5, 6
       ON CONFLICT (tenant_id, mode, currency, hour, country, region) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue,
         units = EXCLUDED.units, refunds = EXCLUDED.refunds, cancelled_orders = EXCLUDED.cancelled_orders`,
      params,
    );
    await m.query(
      `INSERT INTO analytics_product_hourly (tenant_id, mode, currency, hour, product_id, orders, revenue, units, refunds, refunded_orders)
       SELECT f.tenant_id, f.mode, f.currency, f.placed_hour, l.product_id,
              count(DISTINCT f.order_id) FILTER (WHERE f.counted), coalesce(sum(l.line_total) FILTER (WHERE f.counted), 0),
              coalesce(sum(l.quantity) FILTER (WHERE f.counted), 0), coalesce(sum(l.refund) FILTER (WHERE f.counted), 0),
              count(DISTINCT f.order_id) FILTER (WHERE f.counted AND f.refunded > 0)
         FROM analytics_order_facts f
        CROSS JOIN LATERAL jsonb_to_recordset(f.lines) AS l(product_id text, quantity int, line_total bigint, refund bigint)
        WHERE ${where}
        GROUP BY 1, 2, 3, 4, 5
       ON CONFLICT (tenant_id, mode, currency, hour, product_id) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue,
         units = EXCLUDED.units, refunds = EXCLUDED.refunds, refunded_orders = EXCLUDED.refunded_orders`,
      params,
    );
  }

  /** Recomputes the day and month rows of ctx from its hourly rows. */
  async recomputePeriods(ctx: RequestContext): Promise<void> {
    const tables: { periods: string; hourly: string; keys: string[]; measures: string }[] = [
      { periods: 'analytics_sales_periods', hourly: 'analytics_sales_hourly', keys: ['currency'], measures: SALES },
      { periods: 'analytics_region_periods', hourly: 'analytics_region_hourly', keys: ['currency', 'country', 'region'], measures: SALES },
      { periods: 'analytics_product_periods', hourly: 'analytics_product_hourly', keys: ['currency', 'product_id'], measures: PRODUCT },
    ];
    for (const { periods, hourly, keys, measures } of tables) {
      const sums = measures.split(', ').map((c) => `sum(${c})`).join(', ');
      await this.m(ctx).query(
        `INSERT INTO ${periods} (tenant_id, mode, unit, period_start, ${keys.join(', ')}, ${measures})
         SELECT tenant_id, mode, u.unit, date_trunc(u.unit, hour, 'UTC') AS period_start, ${keys.join(', ')}, ${sums}
           FROM ${hourly} CROSS JOIN (VALUES ('day'), ('month')) AS u(unit)
          WHERE tenant_id = $1 AND mode = $2
          GROUP BY tenant_id, mode, u.unit, 4, ${keys.join(', ')}
         ON CONFLICT (tenant_id, mode, unit, period_start, ${keys.join(', ')}) DO UPDATE SET ${replaced(measures)}`,
        [ctx.tenant, ctx.mode],
      );
    }
  }

  /** Recomputes every customer's totals of ctx from its facts. */
  async recomputeCustomers(ctx: RequestContext): Promise<void> {
    const params: unknown[] = [ctx.tenant, ctx.mode];
    const where = 'f.tenant_id = $1 AND f.mode = $2';
    const m = this.m(ctx);
    // A customer whose orders were all cancelled is no customer of the reports any more.
    await m.query(
      `DELETE FROM analytics_customer_totals t
        WHERE t.tenant_id = $1 AND t.mode = $2
          AND NOT EXISTS (SELECT 1 FROM analytics_order_facts f WHERE ${where} AND f.counted AND f.currency = t.currency AND f.customer_id = t.customer_id)`,
      params,
    );
    await m.query(
      `INSERT INTO analytics_customer_totals (tenant_id, mode, currency, customer_id, orders, revenue, refunds, first_order_at, last_order_at, country, region)
       SELECT f.tenant_id, f.mode, f.currency, f.customer_id, count(*), sum(f.total), sum(f.refunded), min(f.placed_at), max(f.placed_at),
              (array_agg(f.country ORDER BY f.placed_at DESC, f.order_id DESC))[1], (array_agg(f.region ORDER BY f.placed_at DESC, f.order_id DESC))[1]
         FROM analytics_order_facts f WHERE ${where} AND f.counted
        GROUP BY 1, 2, 3, 4
       ON CONFLICT (tenant_id, mode, currency, customer_id) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue,
         refunds = EXCLUDED.refunds, first_order_at = EXCLUDED.first_order_at, last_order_at = EXCLUDED.last_order_at,
         country = EXCLUDED.country, region = EXCLUDED.region`,
      params,
    );
  }

  /** Removes ctx's facts and order rollups (the start of a rebuild). */
  async clear(ctx: RequestContext): Promise<void> {
    for (const table of [
      'analytics_customer_totals', 'analytics_product_periods', 'analytics_region_periods', 'analytics_sales_periods',
      'analytics_product_hourly', 'analytics_region_hourly', 'analytics_sales_hourly', 'analytics_order_facts',
    ]) {
      await this.m(ctx).query(`DELETE FROM ${table} WHERE tenant_id = $1 AND mode = $2`, [ctx.tenant, ctx.mode]);
    }
  }
}

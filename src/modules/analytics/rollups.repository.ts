import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import type { FactLine, OrderFact } from './order-facts';
import type { HourlyDelta } from './rollup-deltas';

/**
 * The order rollups' SQL (the customer rollups are in customer-rollups*.repository.ts). The event
 * path adds one order's change to its rows (additive upserts, O(1) per event, under the fact's row
 * lock and version check); the rebuild recomputes every row from the facts (INSERT … SELECT … ON
 * CONFLICT DO UPDATE). Keys only ever appear (facts are never deleted), so no row goes stale; the
 * e2e tests check that both paths give the same reports.
 */
@Injectable()
export class RollupsRepository extends TenantScopedRepository {
  /** Inside a transaction: the order's stored fact and version, locking its row until commit; null before its first event. */
  async lockedFact(ctx: RequestContext, orderId: string): Promise<(OrderFact & { versionAt: Date; versionEvent: string }) | null> {
    const rows: Record<string, any>[] = await this.m(ctx).query(
      `SELECT * FROM analytics_order_facts WHERE tenant_id = $1 AND mode = $2 AND order_id = $3 FOR UPDATE`,
      [ctx.tenant, ctx.mode, orderId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      orderId: r.order_id, customerId: r.customer_id, currency: r.currency, placedAt: new Date(r.placed_at), placedHour: new Date(r.placed_hour),
      counted: r.counted, total: Number(r.total), refunded: Number(r.refunded), units: r.units, country: r.country, region: r.region,
      lines: r.lines as FactLine[], versionAt: new Date(r.version_at), versionEvent: r.version_event,
    };
  }

  /** Adds one order's change to its hour's rows (additive upserts; products in id order, so concurrent relays lock rows in one order). */
  async addHourly(ctx: RequestContext, currency: string, hour: Date, d: HourlyDelta): Promise<void> {
    const m = this.m(ctx);
    const base = [ctx.tenant, ctx.mode, currency, hour];
    const s = d.sales;
    await m.query(
      `INSERT INTO analytics_sales_hourly AS t (tenant_id, mode, currency, hour, orders, revenue, units, refunds, cancelled_orders)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, mode, currency, hour) DO UPDATE SET orders = t.orders + EXCLUDED.orders, revenue = t.revenue + EXCLUDED.revenue,
         units = t.units + EXCLUDED.units, refunds = t.refunds + EXCLUDED.refunds, cancelled_orders = t.cancelled_orders + EXCLUDED.cancelled_orders`,
      [...base, s.orders, s.revenue, s.units, s.refunds, s.cancelled],
    );
    await m.query(
      `INSERT INTO analytics_region_hourly AS t (tenant_id, mode, currency, hour, country, region, orders, revenue, units, refunds, cancelled_orders)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, mode, currency, hour, country, region) DO UPDATE SET orders = t.orders + EXCLUDED.orders, revenue = t.revenue + EXCLUDED.revenue,
         units = t.units + EXCLUDED.units, refunds = t.refunds + EXCLUDED.refunds, cancelled_orders = t.cancelled_orders + EXCLUDED.cancelled_orders`,
      [...base, d.region.country, d.region.region, s.orders, s.revenue, s.units, s.refunds, s.cancelled],
    );
    const products = [...d.products].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    if (products.length === 0) return;
    await m.query(
      `INSERT INTO analytics_product_hourly AS t (tenant_id, mode, currency, hour, product_id, orders, revenue, units, refunds, refunded_orders)
       SELECT $1, $2, $3, $4, u.* FROM unnest($5::text[], $6::int[], $7::bigint[], $8::bigint[], $9::bigint[], $10::int[]) AS u
       ON CONFLICT (tenant_id, mode, currency, hour, product_id) DO UPDATE SET orders = t.orders + EXCLUDED.orders, revenue = t.revenue + EXCLUDED.revenue,
         units = t.units + EXCLUDED.units, refunds = t.refunds + EXCLUDED.refunds, refunded_orders = t.refunded_orders + EXCLUDED.refunded_orders`,
      [...base, products.map((p) => p.productId), products.map((p) => p.orders), products.map((p) => String(p.revenue)),
        products.map((p) => String(p.units)), products.map((p) => String(p.refunds)), products.map((p) => p.refundedOrders)],
    );
  }

  /** Writes facts (insert or replace), each with its version. */
  async saveFacts(ctx: RequestContext, facts: readonly (OrderFact & { versionAt: Date; versionEvent: string })[]): Promise<void> {
    if (facts.length === 0) return;
    const col = <T>(f: (x: (typeof facts)[number]) => T) => facts.map(f);
    await this.m(ctx).query(
      `INSERT INTO analytics_order_facts AS f (tenant_id, mode, order_id, customer_id, currency, placed_at, placed_hour, counted, total, refunded, units, country, region, lines, version_at, version_event)
       SELECT $1, $2, u.* FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::boolean[], $9::bigint[], $10::bigint[], $11::int[], $12::text[], $13::text[], $14::jsonb[], $15::timestamptz[], $16::text[]) AS u
       ON CONFLICT (tenant_id, mode, order_id) DO UPDATE SET
         counted = EXCLUDED.counted, total = EXCLUDED.total, refunded = EXCLUDED.refunded, units = EXCLUDED.units,
         country = EXCLUDED.country, region = EXCLUDED.region, lines = EXCLUDED.lines,
         version_at = EXCLUDED.version_at, version_event = EXCLUDED.version_event
       WHERE (f.version_at, f.version_event) < (EXCLUDED.version_at, EXCLUDED.version_event)`,
      [
        ctx.tenant, ctx.mode,
        col((f) => f.orderId), col((f) => f.customerId), col((f) => f.currency), col((f) => f.placedAt), col((f) => f.placedHour),
        col((f) => f.counted), col((f) => String(f.total)), col((f) => String(f.refunded)), col((f) => f.units),
        col((f) => f.country), col((f) => f.region), col((f) => JSON.stringify(f.lines)), col((f) => f.versionAt), col((f) => f.versionEvent),
      ],
    );
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
    for (const table of ['analytics_customer_totals', 'analytics_product_hourly', 'analytics_region_hourly', 'analytics_sales_hourly', 'analytics_order_facts']) {
      await this.m(ctx).query(`DELETE FROM ${table} WHERE tenant_id = $1 AND mode = $2`, [ctx.tenant, ctx.mode]);
    }
  }
}

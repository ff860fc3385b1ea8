import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import type { FactLine, OrderFact } from './order-facts';
import type { HourlyDelta } from './rollup-deltas';

/** The hours (and customers) whose rollup rows to recompute: all of ctx's when omitted. */
export interface RollupScope {
  currency: string;
  hour: Date;
  customerId: string;
}

/** A row of analytics_order_facts as pg returns it: bigint sums as strings, timestamps as Date, lines as parsed JSON. */
interface StoredFactRow {
  order_id: string;
  customer_id: string;
  currency: string;
  placed_at: Date;
  placed_hour: Date;
  counted: boolean;
  total: string;
  refunded: string;
  units: number;
  country: string | null;
  region: string | null;
  lines: FactLine[];
  version_at: Date;
  version_event: string;
}

/**
 * The rollups' SQL. The event path adds one order's change to its rows (additive upserts, O(1)
 * per event, under the fact's row lock and version check); the rebuild recomputes every row from
 * the facts (INSERT … SELECT … ON CONFLICT DO UPDATE). Keys only ever appear (facts are never
 * deleted), so no row goes stale; the e2e tests check that both paths give the same reports.
 */
@Injectable()
export class RollupsRepository extends TenantScopedRepository {
  /** Inside a transaction: the order's stored fact and version, locking its row until commit; null before its first event. */
  async lockedFact(ctx: RequestContext, orderId: string): Promise<(OrderFact & { versionAt: Date; versionEvent: string }) | null> {
    const rows: StoredFactRow[] = await this.m(ctx).query(
      `SELECT * FROM analytics_order_facts WHERE tenant_id = $1 AND mode = $2 AND order_id = $3 FOR UPDATE`,
      [ctx.tenant, ctx.mode, orderId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      orderId: r.order_id, customerId: r.customer_id, currency: r.currency, placedAt: new Date(r.placed_at), placedHour: new Date(r.placed_hour),
      counted: r.counted, total: Number(r.total), refunded: Number(r.refunded), units: r.units, country: r.country, region: r.region,
      lines: r.lines, versionAt: new Date(r.version_at), versionEvent: r.version_event,
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

  /** Adds a newly counted order to its customer's totals (first/last order and the latest address kept). */
  async addCustomerOrder(ctx: RequestContext, fact: OrderFact): Promise<void> {
    await this.m(ctx).query(
      `INSERT INTO analytics_customer_totals AS t (tenant_id, mode, currency, customer_id, orders, revenue, refunds, first_order_at, last_order_at, country, region)
       VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $7, $8, $9)
       ON CONFLICT (tenant_id, mode, currency, customer_id) DO UPDATE SET orders = t.orders + 1, revenue = t.revenue + EXCLUDED.revenue,
         refunds = t.refunds + EXCLUDED.refunds, first_order_at = least(t.first_order_at, EXCLUDED.first_order_at),
         last_order_at = greatest(t.last_order_at, EXCLUDED.last_order_at),
         country = CASE WHEN EXCLUDED.last_order_at >= t.last_order_at THEN EXCLUDED.country ELSE t.country END,
         region = CASE WHEN EXCLUDED.last_order_at >= t.last_order_at THEN EXCLUDED.region ELSE t.region END`,
      [ctx.tenant, ctx.mode, fact.currency, fact.customerId, fact.total, fact.refunded, fact.placedAt, fact.country, fact.region],
    );
  }

  /** Adds a change of refunds to a customer's totals. */
  async addCustomerRefunds(ctx: RequestContext, currency: string, customerId: string, refunds: number): Promise<void> {
    await this.m(ctx).query(
      `UPDATE analytics_customer_totals SET refunds = refunds + $5 WHERE tenant_id = $1 AND mode = $2 AND currency = $3 AND customer_id = $4`,
      [ctx.tenant, ctx.mode, currency, customerId, refunds],
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

  /** Recomputes the hourly rows of one (currency, hour), or of every hour of ctx when `scope` is omitted. */
  async recomputeHourly(ctx: RequestContext, scope?: Pick<RollupScope, 'currency' | 'hour'>): Promise<void> {
    const params: unknown[] = [ctx.tenant, ctx.mode];
    let where = 'f.tenant_id = $1 AND f.mode = $2';
    if (scope) {
      params.push(scope.currency, scope.hour);
      // The placed_at range lets the (tenant, mode, placed_at) index find the hour's facts.
      where += ` AND f.currency = $3 AND f.placed_hour = $4 AND f.placed_at >= $4 AND f.placed_at < $4::timestamptz + interval '1 hour'`;
    }
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

  /** Recomputes one customer's totals in one currency, or every customer's of ctx when `scope` is omitted. */
  async recomputeCustomers(ctx: RequestContext, scope?: Pick<RollupScope, 'currency' | 'customerId'>): Promise<void> {
    const params: unknown[] = [ctx.tenant, ctx.mode];
    let where = 'f.tenant_id = $1 AND f.mode = $2';
    if (scope) {
      params.push(scope.currency, scope.customerId);
      where += ' AND f.currency = $3 AND f.customer_id = $4';
    }
    const m = this.m(ctx);
    // A customer whose orders were all cancelled is no customer of the reports any more.
    await m.query(
      `DELETE FROM analytics_customer_totals t
        WHERE t.tenant_id = $1 AND t.mode = $2 ${scope ? 'AND t.currency = $3 AND t.customer_id = $4' : ''}
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

  /** Removes ctx's facts and rollups (the start of a rebuild). */
  async clear(ctx: RequestContext): Promise<void> {
    for (const table of ['analytics_customer_totals', 'analytics_product_hourly', 'analytics_region_hourly', 'analytics_sales_hourly', 'analytics_order_facts']) {
      await this.m(ctx).query(`DELETE FROM ${table} WHERE tenant_id = $1 AND mode = $2`, [ctx.tenant, ctx.mode]);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import type { CustomerTotals } from './customer-rollups';
import { totalsOf } from './customer-rollups.repository';
import type { FactLine, OrderFact } from './order-facts';
import { floorDay, floorMonth } from './report-pieces';
import type { HourlyDelta } from './rollup-deltas';

export type StoredFact = OrderFact & { versionAt: Date; versionEvent: string };

const SALES = 'orders, revenue, units, refunds, cancelled_orders';
const PRODUCT = 'orders, revenue, units, refunds, refunded_orders';
const added = (columns: string) => columns.split(', ').map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ');

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
 * The event path of the order rollups (the customer rollups are in customer-rollups.repository.ts,
 * the rebuild in rollups-rebuild.repository.ts): one order's change added to its rows by additive
 * upserts, O(1) per event, under the fact's row lock and version check.
 */
@Injectable()
export class RollupsRepository extends TenantScopedRepository {
  /**
   * Inside a transaction, under the customer's lock: the order's stored fact and version (locking
   * its row until commit; null before its first event) and its customer's totals in the currency,
   * in one round trip.
   */
  async lockedState(ctx: RequestContext, order: { id: string; currency: string; customerId: string }): Promise<{ stored: StoredFact | null; totals: CustomerTotals | null }> {
    // row_to_json leaves timestamps as strings; new Date() below reads either.
    const [row]: { fact: StoredFactRow | null; totals: Parameters<typeof totalsOf>[0] }[] = await this.m(ctx).query(
      `SELECT (SELECT row_to_json(f) FROM analytics_order_facts f WHERE f.tenant_id = $1 AND f.mode = $2 AND f.order_id = $3 FOR UPDATE) AS fact,
              (SELECT row_to_json(t) FROM analytics_customer_totals t WHERE t.tenant_id = $1 AND t.mode = $2 AND t.currency = $4 AND t.customer_id = $5) AS totals`,
      [ctx.tenant, ctx.mode, order.id, order.currency, order.customerId],
    );
    const r = row.fact;
    const stored: StoredFact | null = r && {
      orderId: r.order_id, customerId: r.customer_id, currency: r.currency, placedAt: new Date(r.placed_at), placedHour: new Date(r.placed_hour),
      counted: r.counted, total: Number(r.total), refunded: Number(r.refunded), units: r.units, country: r.country, region: r.region,
      lines: r.lines, versionAt: new Date(r.version_at), versionEvent: r.version_event,
    };
    return { stored, totals: totalsOf(row.totals) };
  }

  /**
   * Adds one order's change to its hour's rows and to its UTC day's and month's period rows, in one
   * statement (products in id order, so concurrent relays lock rows in one order).
   */
  async addHourly(ctx: RequestContext, currency: string, hour: Date, d: HourlyDelta): Promise<void> {
    const s = d.sales;
    const products = [...d.products].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    const sales = '$7::int, $8::bigint, $9::bigint, $10::bigint, $11::int';
    const periods = `(VALUES ('day', $5::timestamptz), ('month', $6::timestamptz)) AS p(unit, period_start)`;
    const productRows = `unnest($14::text[], $15::int[], $16::bigint[], $17::bigint[], $18::bigint[], $19::int[]) AS u`;
    const ctes = [
      `sales AS (INSERT INTO analytics_sales_hourly AS t (tenant_id, mode, currency, hour, ${SALES})
         VALUES ($1, $2, $3, $4, ${sales}) ON CONFLICT (tenant_id, mode, currency, hour) DO UPDATE SET ${added(SALES)})`,
      `sales_periods AS (INSERT INTO analytics_sales_periods AS t (tenant_id, mode, unit, period_start, currency, ${SALES})
         SELECT $1, $2, p.unit, p.period_start, $3, ${sales} FROM ${periods}
         ON CONFLICT (tenant_id, mode, unit, period_start, currency) DO UPDATE SET ${added(SALES)})`,
      `region AS (INSERT INTO analytics_region_hourly AS t (tenant_id, mode, currency, hour, country, region, ${SALES})
         VALUES ($1, $2, $3, $4, $12::text, $13::text, ${sales}) ON CONFLICT (tenant_id, mode, currency, hour, country, region) DO UPDATE SET ${added(SALES)})`,
      `region_periods AS (INSERT INTO analytics_region_periods AS t (tenant_id, mode, unit, period_start, currency, country, region, ${SALES})
         SELECT $1, $2, p.unit, p.period_start, $3, $12::text, $13::text, ${sales} FROM ${periods}
         ON CONFLICT (tenant_id, mode, unit, period_start, currency, country, region) DO UPDATE SET ${added(SALES)})`,
    ];
    if (products.length > 0) {
      ctes.push(
        `product AS (INSERT INTO analytics_product_hourly AS t (tenant_id, mode, currency, hour, product_id, ${PRODUCT})
           SELECT $1, $2, $3, $4, u.* FROM ${productRows} ON CONFLICT (tenant_id, mode, currency, hour, product_id) DO UPDATE SET ${added(PRODUCT)})`,
        `product_periods AS (INSERT INTO analytics_product_periods AS t (tenant_id, mode, unit, period_start, currency, product_id, ${PRODUCT})
           SELECT $1, $2, p.unit, p.period_start, $3, u.* FROM ${periods} CROSS JOIN ${productRows}
           ON CONFLICT (tenant_id, mode, unit, period_start, currency, product_id) DO UPDATE SET ${added(PRODUCT)})`,
      );
    }
    await this.m(ctx).query(`WITH ${ctes.join(',\n')} SELECT 1`, [
      ctx.tenant, ctx.mode, currency, hour, floorDay(hour), floorMonth(hour),
      s.orders, String(s.revenue), String(s.units), String(s.refunds), s.cancelled, d.region.country, d.region.region,
      products.map((p) => p.productId), products.map((p) => p.orders), products.map((p) => String(p.revenue)),
      products.map((p) => String(p.units)), products.map((p) => String(p.refunds)), products.map((p) => p.refundedOrders),
    ]);
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
}

import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { placeOf, type CustomerTotals, type SegmentDeltas } from './customer-rollups';
import type { ReturnCell } from './customer-returns';

/** A counted order of the customer next to another one (by placed_at, then order id). */
export interface Neighbour {
  orderId: string;
  placedAt: Date;
}

type Row = Record<string, any>;

function totalsOf(r: Row | undefined): CustomerTotals | null {
  if (!r) return null;
  return {
    orders: Number(r.orders), revenue: Number(r.revenue), refunds: Number(r.refunds),
    firstOrderAt: new Date(r.first_order_at), lastOrderAt: new Date(r.last_order_at), country: r.country, region: r.region,
  };
}

const SEGMENT_TABLES = {
  cohorts: { table: 'analytics_customer_cohorts', key: ['first_hour'], cast: ['timestamptz'] },
  recency: { table: 'analytics_customer_recency', key: ['last_hour'], cast: ['timestamptz'] },
  geography: { table: 'analytics_customer_geography', key: ['country', 'region'], cast: ['text', 'text'] },
} as const;

/**
 * The customer rollups' event path: one customer's totals and the rows they count in, changed
 * by difference (additive upserts, O(1) per event) under a per-customer lock. The recomputation
 * from the facts lives in customer-rollups-rebuild.repository.ts.
 */
@Injectable()
export class CustomerRollupsRepository extends TenantScopedRepository {
  /**
   * Serialises the events of one customer (per currency) until the transaction ends: their
   * totals are read, changed and written back, and their orders' `prev_at` links one order to the next.
   */
  async lockCustomer(ctx: RequestContext, currency: string, customerId: string): Promise<void> {
    await this.m(ctx).query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`analytics_customer:${ctx.tenant}:${ctx.mode}:${currency}:${customerId}`]);
  }

  async totals(ctx: RequestContext, currency: string, customerId: string): Promise<CustomerTotals | null> {
    const rows: Row[] = await this.m(ctx).query(
      `SELECT * FROM analytics_customer_totals WHERE tenant_id = $1 AND mode = $2 AND currency = $3 AND customer_id = $4`,
      [ctx.tenant, ctx.mode, currency, customerId],
    );
    return totalsOf(rows[0]);
  }

  /** The customer's totals recomputed from their counted facts (a cancellation, or a tie on the latest order); null when none counts. */
  async totalsFromFacts(ctx: RequestContext, currency: string, customerId: string): Promise<CustomerTotals | null> {
    const rows: Row[] = await this.m(ctx).query(
      `SELECT count(*) AS orders, sum(total) AS revenue, sum(refunded) AS refunds, min(placed_at) AS first_order_at, max(placed_at) AS last_order_at,
              (array_agg(country ORDER BY placed_at DESC, order_id DESC))[1] AS country, (array_agg(region ORDER BY placed_at DESC, order_id DESC))[1] AS region
         FROM analytics_order_facts
        WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 AND currency = $4 AND counted
       HAVING count(*) > 0`,
      [ctx.tenant, ctx.mode, customerId, currency],
    );
    return totalsOf(rows[0]);
  }

  /** Replaces the customer's totals row (removes it when they have no counted order left). */
  async writeTotals(ctx: RequestContext, currency: string, customerId: string, t: CustomerTotals | null): Promise<void> {
    const key = [ctx.tenant, ctx.mode, currency, customerId];
    if (!t) {
      await this.m(ctx).query(`DELETE FROM analytics_customer_totals WHERE tenant_id = $1 AND mode = $2 AND currency = $3 AND customer_id = $4`, key);
      return;
    }
    await this.m(ctx).query(
      `INSERT INTO analytics_customer_totals AS t (tenant_id, mode, currency, customer_id, orders, revenue, refunds, first_order_at, last_order_at, country, region)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, mode, currency, customer_id) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, refunds = EXCLUDED.refunds,
         first_order_at = EXCLUDED.first_order_at, last_order_at = EXCLUDED.last_order_at, country = EXCLUDED.country, region = EXCLUDED.region`,
      [...key, t.orders, String(t.revenue), String(t.refunds), t.firstOrderAt, t.lastOrderAt, t.country, t.region],
    );
  }

  /** Adds the deltas to the cohort, geography and recency rows (in that order, keys sorted within each). */
  async addSegments(ctx: RequestContext, currency: string, deltas: SegmentDeltas): Promise<void> {
    for (const name of ['cohorts', 'geography', 'recency'] as const) {
      const rows = deltas[name];
      if (rows.length === 0) continue;
      const { table, key, cast } = SEGMENT_TABLES[name];
      const keyColumns: unknown[][] = name === 'geography'
        ? [rows.map((d) => placeOf(d.key).country), rows.map((d) => placeOf(d.key).region)]
        : [rows.map((d) => d.key)];
      const keyParams = key.map((_, i) => `$${4 + i}::${cast[i]}[]`).join(', ');
      const n = 4 + key.length;
      await this.m(ctx).query(
        `INSERT INTO ${table} AS t (tenant_id, mode, currency, ${key.join(', ')}, customers, orders, lifetime_value)
         SELECT $1, $2, $3, u.* FROM unnest(${keyParams}, $${n}::int[], $${n + 1}::int[], $${n + 2}::bigint[]) AS u
         ON CONFLICT (tenant_id, mode, currency, ${key.join(', ')}) DO UPDATE SET customers = t.customers + EXCLUDED.customers,
           orders = t.orders + EXCLUDED.orders, lifetime_value = t.lifetime_value + EXCLUDED.lifetime_value`,
        [ctx.tenant, ctx.mode, currency, ...keyColumns, col(rows, (d) => d.customers), col(rows, (d) => d.orders), col(rows, (d) => String(d.lifetimeValue))],
      );
    }
  }

  /** The customer's counted orders just before and just after `order` (itself left out), by placed_at then order id. */
  async neighbours(ctx: RequestContext, currency: string, customerId: string, order: Neighbour): Promise<{ prev: Neighbour | null; next: Neighbour | null }> {
    const params = [ctx.tenant, ctx.mode, customerId, currency, order.placedAt, order.orderId];
    const base = `SELECT order_id, placed_at FROM analytics_order_facts
                   WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 AND currency = $4 AND counted AND order_id <> $6`;
    const [prev]: Row[] = await this.m(ctx).query(`${base} AND (placed_at, order_id) < ($5, $6) ORDER BY placed_at DESC, order_id DESC LIMIT 1`, params);
    const [next]: Row[] = await this.m(ctx).query(`${base} AND (placed_at, order_id) > ($5, $6) ORDER BY placed_at, order_id LIMIT 1`, params);
    const of = (r: Row | undefined) => (r ? { orderId: r.order_id as string, placedAt: new Date(r.placed_at) } : null);
    return { prev: of(prev), next: of(next) };
  }

  async setPrevAt(ctx: RequestContext, orderId: string, prevAt: Date | null): Promise<void> {
    await this.m(ctx).query(`UPDATE analytics_order_facts SET prev_at = $4 WHERE tenant_id = $1 AND mode = $2 AND order_id = $3`, [ctx.tenant, ctx.mode, orderId, prevAt]);
  }

  /** Adds the changes of return cells (merged and sorted by the caller). */
  async addReturns(ctx: RequestContext, currency: string, cells: readonly ReturnCell[]): Promise<void> {
    if (cells.length === 0) return;
    await this.m(ctx).query(
      `INSERT INTO analytics_customer_returns AS t (tenant_id, mode, currency, next_unit, prev_unit, next_start, prev_start, returns)
       SELECT $1, $2, $3, u.* FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::int[]) AS u
       ON CONFLICT (tenant_id, mode, next_unit, prev_unit, next_start, prev_start, currency) DO UPDATE SET returns = t.returns + EXCLUDED.returns`,
      [ctx.tenant, ctx.mode, currency, col(cells, (c) => c.nextUnit), col(cells, (c) => c.prevUnit), col(cells, (c) => c.nextStart), col(cells, (c) => c.prevStart), col(cells, (c) => c.returns)],
    );
  }
}

function col<T, V>(rows: readonly T[], f: (row: T) => V): V[] {
  return rows.map(f);
}

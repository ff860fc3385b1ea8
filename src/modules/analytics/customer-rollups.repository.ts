import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { placeOf, type CustomerTotals, type SegmentDelta, type SegmentDeltas } from './customer-rollups';
import type { ReturnCell } from './customer-returns';

/** A counted order of the customer next to another one (by placed_at, then order id). */
export interface Neighbour {
  orderId: string;
  placedAt: Date;
}

/** Everything one event changes for its customer, written in one statement. */
export interface CustomerChange {
  currency: string;
  customerId: string;
  /** The customer's new totals; null when no order of theirs counts any more. */
  after: CustomerTotals | null;
  deltas: SegmentDeltas;
  cells: ReturnCell[];
  /** Facts whose `prev_at` changes. */
  links: { orderId: string; prevAt: Date | null }[];
}

/** A totals row as pg returns it: bigint sums as strings, timestamps as Date (strings from row_to_json). */
interface TotalsRow {
  orders: string | number;
  revenue: string | number;
  refunds: string | number;
  first_order_at: Date | string;
  last_order_at: Date | string;
  country: string | null;
  region: string | null;
}

/** A customer totals row (from SQL or row_to_json) as CustomerTotals; null for none. */
export function totalsOf(r: TotalsRow | null | undefined): CustomerTotals | null {
  if (!r) return null;
  return {
    orders: Number(r.orders), revenue: Number(r.revenue), refunds: Number(r.refunds),
    firstOrderAt: new Date(r.first_order_at), lastOrderAt: new Date(r.last_order_at), country: r.country, region: r.region,
  };
}

/** Bind parameters collected while a statement is assembled. */
class Params {
  readonly values: unknown[] = [];
  bind(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

const ADD_SEGMENT = `customers = t.customers + EXCLUDED.customers, orders = t.orders + EXCLUDED.orders, lifetime_value = t.lifetime_value + EXCLUDED.lifetime_value`;

/**
 * The customer rollups' event path: one customer's totals and the rows they count in, changed by
 * difference (additive upserts, O(1) per event) under a per-customer lock, in one statement of
 * data-modifying CTEs (one round trip: the relay commits a batch of events at once, so the time
 * per event is the lag). The recomputation from the facts is in customer-rollups-rebuild.repository.ts.
 */
@Injectable()
export class CustomerRollupsRepository extends TenantScopedRepository {
  /**
   * Serialises the events of one customer (per currency) until the transaction ends: their
   * totals are read, changed and written back, and their orders' `prev_at` links one order to the next.
   */
  async lockCustomer(ctx: RequestContext, currency: string, customerId: string): Promise<void> {
    await this.lockUntilCommit(ctx, 'analytics_customer', [currency, customerId]);
  }

  /** The customer's totals recomputed from their counted facts (a cancellation, or a tie on the latest order); null when none counts. */
  async totalsFromFacts(ctx: RequestContext, currency: string, customerId: string): Promise<CustomerTotals | null> {
    const rows: TotalsRow[] = await this.m(ctx).query(
      `SELECT count(*) AS orders, sum(total) AS revenue, sum(refunded) AS refunds, min(placed_at) AS first_order_at, max(placed_at) AS last_order_at,
              (array_agg(country ORDER BY placed_at DESC, order_id DESC))[1] AS country, (array_agg(region ORDER BY placed_at DESC, order_id DESC))[1] AS region
         FROM analytics_order_facts
        WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 AND currency = $4 AND counted
       HAVING count(*) > 0`,
      [ctx.tenant, ctx.mode, customerId, currency],
    );
    return totalsOf(rows[0]);
  }

  /** The customer's counted orders just before and just after `order` (itself left out), by placed_at then order id. */
  async neighbours(ctx: RequestContext, currency: string, customerId: string, order: Neighbour): Promise<{ prev: Neighbour | null; next: Neighbour | null }> {
    const base = `SELECT order_id, placed_at FROM analytics_order_facts
                   WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 AND currency = $4 AND counted AND order_id <> $6`;
    const rows: { order_id: string; placed_at: Date }[] = await this.m(ctx).query(
      `(${base} AND (placed_at, order_id) < ($5, $6) ORDER BY placed_at DESC, order_id DESC LIMIT 1)
       UNION ALL
       (${base} AND (placed_at, order_id) > ($5, $6) ORDER BY placed_at, order_id LIMIT 1)`,
      [ctx.tenant, ctx.mode, customerId, currency, order.placedAt, order.orderId],
    );
    const found = rows.map((r) => ({ orderId: r.order_id, placedAt: new Date(r.placed_at) }));
    const before = (n: Neighbour) => n.placedAt < order.placedAt || (n.placedAt.getTime() === order.placedAt.getTime() && n.orderId < order.orderId);
    return { prev: found.find(before) ?? null, next: found.find((n) => !before(n)) ?? null };
  }

  /** Writes the change: the totals row, the cohort, geography and recency rows, the return cells and the facts' links. */
  async write(ctx: RequestContext, change: CustomerChange): Promise<void> {
    const p = new Params();
    const [tenant, mode, currency] = [p.bind(ctx.tenant, 'text'), p.bind(ctx.mode, 'text'), p.bind(change.currency, 'text')];
    const customer = p.bind(change.customerId, 'text');
    const ctes: string[] = [];
    const t = change.after;
    ctes.push(t
      ? `totals AS (INSERT INTO analytics_customer_totals AS t (tenant_id, mode, currency, customer_id, orders, revenue, refunds, first_order_at, last_order_at, country, region)
           VALUES (${tenant}, ${mode}, ${currency}, ${customer}, ${p.bind(t.orders, 'int')}, ${p.bind(String(t.revenue), 'bigint')}, ${p.bind(String(t.refunds), 'bigint')},
                   ${p.bind(t.firstOrderAt, 'timestamptz')}, ${p.bind(t.lastOrderAt, 'timestamptz')}, ${p.bind(t.country, 'text')}, ${p.bind(t.region, 'text')})
           ON CONFLICT (tenant_id, mode, currency, customer_id) DO UPDATE SET orders = EXCLUDED.orders, revenue = EXCLUDED.revenue, refunds = EXCLUDED.refunds,
             first_order_at = EXCLUDED.first_order_at, last_order_at = EXCLUDED.last_order_at, country = EXCLUDED.country, region = EXCLUDED.region)`
      : `totals AS (DELETE FROM analytics_customer_totals WHERE tenant_id = ${tenant} AND mode = ${mode} AND currency = ${currency} AND customer_id = ${customer})`);
    const values = (rows: SegmentDelta[]) =>
      `${p.bind(rows.map((d) => d.customers), 'int[]')}, ${p.bind(rows.map((d) => d.orders), 'int[]')}, ${p.bind(rows.map((d) => String(d.lifetimeValue)), 'bigint[]')}`;
    const { cohorts, geography, recency } = change.deltas;
    if (cohorts.length > 0) {
      const [units, starts] = [cohorts.map((d) => d.key.split('|')[0]), cohorts.map((d) => d.key.split('|')[1])];
      ctes.push(`cohorts AS (INSERT INTO analytics_customer_cohorts AS t (tenant_id, mode, currency, unit, first_start, customers, orders, lifetime_value)
        SELECT ${tenant}, ${mode}, ${currency}, u.* FROM unnest(${p.bind(units, 'text[]')}, ${p.bind(starts, 'timestamptz[]')}, ${values(cohorts)}) AS u
        ON CONFLICT (tenant_id, mode, unit, first_start, currency) DO UPDATE SET ${ADD_SEGMENT})`);
    }
    if (geography.length > 0) {
      const places = geography.map((d) => placeOf(d.key));
      ctes.push(`geography AS (INSERT INTO analytics_customer_geography AS t (tenant_id, mode, currency, country, region, customers, orders, lifetime_value)
        SELECT ${tenant}, ${mode}, ${currency}, u.* FROM unnest(${p.bind(places.map((x) => x.country), 'text[]')}, ${p.bind(places.map((x) => x.region), 'text[]')}, ${values(geography)}) AS u
        ON CONFLICT (tenant_id, mode, currency, country, region) DO UPDATE SET ${ADD_SEGMENT})`);
    }
    if (recency.length > 0) {
      ctes.push(`recency AS (INSERT INTO analytics_customer_recency AS t (tenant_id, mode, currency, last_day, customers, orders, lifetime_value)
        SELECT ${tenant}, ${mode}, ${currency}, u.* FROM unnest(${p.bind(recency.map((d) => d.key), 'timestamptz[]')}, ${values(recency)}) AS u
        ON CONFLICT (tenant_id, mode, last_day, currency) DO UPDATE SET ${ADD_SEGMENT})`);
    }
    const cells = change.cells;
    if (cells.length > 0) {
      ctes.push(`returns AS (INSERT INTO analytics_customer_returns AS t (tenant_id, mode, currency, next_unit, prev_unit, next_start, prev_start, returns)
        SELECT ${tenant}, ${mode}, ${currency}, u.* FROM unnest(${p.bind(cells.map((c) => c.nextUnit), 'text[]')}, ${p.bind(cells.map((c) => c.prevUnit), 'text[]')},
          ${p.bind(cells.map((c) => c.nextStart), 'timestamptz[]')}, ${p.bind(cells.map((c) => c.prevStart), 'timestamptz[]')}, ${p.bind(cells.map((c) => c.returns), 'int[]')}) AS u
        ON CONFLICT (tenant_id, mode, next_unit, prev_unit, next_start, prev_start, currency) DO UPDATE SET returns = t.returns + EXCLUDED.returns)`);
    }
    const links = change.links;
    if (links.length > 0) {
      ctes.push(`links AS (UPDATE analytics_order_facts f SET prev_at = u.prev_at
        FROM unnest(${p.bind(links.map((l) => l.orderId), 'text[]')}, ${p.bind(links.map((l) => l.prevAt), 'timestamptz[]')}) AS u(order_id, prev_at)
        WHERE f.tenant_id = ${tenant} AND f.mode = ${mode} AND f.order_id = u.order_id)`);
    }
    await this.m(ctx).query(`WITH ${ctes.join(',\n')} SELECT 1`, p.values);
  }
}

import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';

export interface CustomerSummaryRow {
  currency: string;
  customers: number;
  orders: number;
  lifetime_value: number;
  new_customers: number;
  at_risk: number;
  at_risk_value: number;
}

export interface CustomerSegmentRow {
  currency: string;
  month?: string;
  country?: string | null;
  region?: string | null;
  customers: number;
  orders: number;
  lifetime_value: number;
}

type Row = Record<string, string | null>;
const num = (v: string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

/** GROUPING(month, country, region) of each grouping set in `overview`. */
const SUMMARY_SET = 7;
const COHORT_SET = 3;
const GEOGRAPHY_SET = 4;
const GEOGRAPHY_LIMIT = 10_000;

export interface CustomersOverview {
  summary: CustomerSummaryRow[];
  /** Customers by the month (in the zone) of their first order. */
  cohorts: CustomerSegmentRow[];
  /** Customers by the country and region of their latest order's shipping address, the largest lifetime value first. */
  geography: CustomerSegmentRow[];
}

/** The customer report's reads: per-customer totals (lifetime value net of refunds), and the facts for who ordered in a range. */
@Injectable()
export class CustomersReportRepository extends TenantScopedRepository {
  /**
   * Summary, cohorts and geography in one pass over the per-customer totals (GROUPING SETS): the
   * three used to be three scans of every customer row, the report's main cost.
   */
  async overview(
    ctx: RequestContext, bounds: { start: Date; end: Date }, atRiskBefore: Date, timezone: string, currency?: string,
  ): Promise<CustomersOverview> {
    const rows: Row[] = await this.m(ctx).query(
      `SELECT currency, GROUPING(month, country, region)::int AS grouping_set, to_char(month, 'YYYY-MM') AS month, country, region,
              count(*)::text AS customers, sum(orders)::text AS orders, sum(value)::text AS lifetime_value,
              count(*) FILTER (WHERE first_order_at >= $3 AND first_order_at < $4)::text AS new_customers,
              count(*) FILTER (WHERE last_order_at < $5)::text AS at_risk,
              coalesce(sum(value) FILTER (WHERE last_order_at < $5), 0)::text AS at_risk_value
         FROM (SELECT currency, date_trunc('month', first_order_at AT TIME ZONE $6) AS month, country, region, orders,
                      revenue - refunds AS value, first_order_at, last_order_at
                 FROM analytics_customer_totals
                WHERE tenant_id = $1 AND mode = $2 AND ($7::text IS NULL OR currency = $7)) AS c
        GROUP BY GROUPING SETS ((currency), (currency, month), (currency, country, region))
        ORDER BY 2, 1, CASE WHEN GROUPING(month, country, region) = ${GEOGRAPHY_SET} THEN sum(value) END DESC, c.month, country, region`,
      [ctx.tenant, ctx.mode, bounds.start, bounds.end, atRiskBefore, timezone, currency ?? null],
    );
    const overview: CustomersOverview = { summary: [], cohorts: [], geography: [] };
    for (const r of rows) {
      const totals = { currency: r.currency!, customers: num(r.customers), orders: num(r.orders), lifetime_value: num(r.lifetime_value) };
      const set = Number(r.grouping_set);
      if (set === SUMMARY_SET) overview.summary.push({ ...totals, new_customers: num(r.new_customers), at_risk: num(r.at_risk), at_risk_value: num(r.at_risk_value) });
      else if (set === COHORT_SET) overview.cohorts.push({ ...totals, month: r.month! });
      else if (set === GEOGRAPHY_SET && overview.geography.length < GEOGRAPHY_LIMIT) overview.geography.push({ ...totals, country: r.country, region: r.region });
    }
    return overview;
  }

  /** Customers who ordered in the range and had ordered before it, per currency. */
  async returning(ctx: RequestContext, bounds: { start: Date; end: Date }, currency?: string): Promise<Map<string, number>> {
    // LATERAL … LIMIT 1: a primary-key probe per order in the range, not a hash of every customer's totals.
    const rows: Row[] = await this.m(ctx).query(
      `SELECT f.currency, count(DISTINCT f.customer_id)::text AS customers
         FROM analytics_order_facts f
         CROSS JOIN LATERAL (
           SELECT t.first_order_at FROM analytics_customer_totals t
            WHERE t.tenant_id = f.tenant_id AND t.mode = f.mode AND t.currency = f.currency AND t.customer_id = f.customer_id
            LIMIT 1) AS t
        WHERE f.tenant_id = $1 AND f.mode = $2 AND f.counted AND f.placed_at >= $3 AND f.placed_at < $4
          AND t.first_order_at < $3 AND ($5::text IS NULL OR f.currency = $5)
        GROUP BY f.currency`,
      [ctx.tenant, ctx.mode, bounds.start, bounds.end, currency ?? null],
    );
    return new Map(rows.map((r) => [r.currency!, num(r.customers)]));
  }
}

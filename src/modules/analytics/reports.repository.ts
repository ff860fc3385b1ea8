import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { pieceColumns, piecesOf } from './report-pieces';
import { inReportTransaction } from './report-reads';
import type { Period, ReportRange } from './report-range';

/** Sums of rollup rows (cancelled orders only where the source knows them). */
export interface Aggregate {
  currency: string;
  key: string;
  orders: number;
  revenue: number;
  units: number;
  refunds: number;
  cancelled_orders: number | null;
  refunded_orders?: number;
}

export interface Bucket {
  label: string;
  start: Date;
  end: Date;
}

/** The calendar of each bucketed period: PostgreSQL's date_trunc unit, the step and the label's to_char format. */
const CALENDAR: Record<Exclude<Period, 'custom'>, { unit: string; step: string; label: string }> = {
  day: { unit: 'day', step: '1 day', label: 'YYYY-MM-DD' },
  week: { unit: 'week', step: '1 week', label: 'IYYY-"W"IW' },
  month: { unit: 'month', step: '1 month', label: 'YYYY-MM' },
  quarter: { unit: 'quarter', step: '3 months', label: 'YYYY-"Q"Q' },
  year: { unit: 'year', step: '1 year', label: 'YYYY' },
};

const SUMS = `sum(orders)::text AS orders, sum(revenue)::text AS revenue, sum(units)::text AS units, sum(refunds)::text AS refunds`;

/**
 * SQL: the rows of piece `p` (unit, s, e) of ctx ($1, $2) in currency $3 (all when null): hourly
 * rows for an hour piece, day or month period rows otherwise (one branch runs per piece).
 */
function pieceRows(hourly: string, periods: string, columns: string): string {
  return `SELECT ${columns} FROM ${hourly}
           WHERE p.unit = 'hour' AND tenant_id = $1 AND mode = $2 AND hour >= p.s AND hour < p.e AND ($3::text IS NULL OR currency = $3)
          UNION ALL
          SELECT ${columns} FROM ${periods}
           WHERE p.unit <> 'hour' AND tenant_id = $1 AND mode = $2 AND unit = p.unit AND period_start >= p.s AND period_start < p.e AND ($3::text IS NULL OR currency = $3)`;
}
const GROUP_LIMIT = 1000;

type Row = Record<string, string | null>;

function aggregateOf(row: Row): Aggregate {
  const n = (v: string | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
  return {
    currency: row.currency!,
    key: row.key ?? '',
    orders: n(row.orders),
    revenue: n(row.revenue),
    units: n(row.units),
    refunds: n(row.refunds),
    cancelled_orders: row.cancelled_orders === undefined ? null : n(row.cancelled_orders),
    ...(row.refunded_orders !== undefined ? { refunded_orders: n(row.refunded_orders) } : {}),
  };
}

/**
 * Every read of the reports: sums over the rollups (hours, and UTC days and months) and, for
 * per-customer figures, over analytics' order facts, of ctx's tenant and mode, between two UTC
 * instants that are local midnights of the report's zone. Inputs are always bind parameters.
 */
@Injectable()
export class ReportsRepository extends TenantScopedRepository {
  /** The UTC instants of the range's first local midnight and of the local midnight after its last day. */
  async bounds(ctx: RequestContext, range: ReportRange): Promise<{ start: Date; end: Date }> {
    const [row]: { start: Date; end: Date }[] = await this.m(ctx).query(
      `SELECT ($1::date::timestamp AT TIME ZONE $3) AS start, (($2::date + 1)::timestamp AT TIME ZONE $3) AS end`,
      [range.startDate, range.endDate, range.timezone],
    );
    return { start: new Date(row.start), end: new Date(row.end) };
  }

  /** The buckets of the range in the zone, clipped to the range. */
  async buckets(ctx: RequestContext, range: ReportRange, period: Period): Promise<Bucket[]> {
    if (period === 'custom') {
      const b = await this.bounds(ctx, range);
      return [{ label: `${range.startDate}/${range.endDate}`, start: b.start, end: b.end }];
    }
    const c = CALENDAR[period];
    const rows: { label: string; start: Date; end: Date }[] = await this.m(ctx).query(
      `SELECT to_char(g, $5) AS label,
              greatest(g, $1::date::timestamp) AT TIME ZONE $3 AS start,
              least(g + $6::interval, ($2::date + 1)::timestamp) AT TIME ZONE $3 AS end
         FROM generate_series(date_trunc($4, $1::date::timestamp), $2::date::timestamp, $6::interval) AS g
        ORDER BY g`,
      [range.startDate, range.endDate, range.timezone, c.unit, c.label, c.step],
    );
    return rows.map((r) => ({ label: r.label, start: new Date(r.start), end: new Date(r.end) }));
  }

  /**
   * Sales per currency and bucket label (the whole range as one bucket for `custom`): each bucket
   * (whole hours) is read as the UTC months and days wholly inside it and its edge hours.
   */
  async salesSeries(ctx: RequestContext, buckets: readonly Bucket[], currency?: string): Promise<Aggregate[]> {
    const [labels, units, froms, tos] = pieceColumns(buckets.map((b) => ({ label: b.label, pieces: piecesOf(b.start, b.end) })));
    const rows: Row[] = await inReportTransaction(this.tx, ctx, (t) => this.m(t).query(
      `SELECT r.currency, p.label AS key, ${SUMS}, sum(cancelled_orders)::text AS cancelled_orders
         FROM unnest($4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[]) AS p(label, unit, s, e)
        CROSS JOIN LATERAL (${pieceRows('analytics_sales_hourly', 'analytics_sales_periods', 'currency, orders, revenue, units, refunds, cancelled_orders')}) AS r
        GROUP BY 1, 2`,
      [ctx.tenant, ctx.mode, currency ?? null, labels, units, froms, tos],
    ));
    return rows.map(aggregateOf);
  }

  /** Per product over the range (line totals, the lines' refund shares). */
  async byProduct(ctx: RequestContext, bounds: { start: Date; end: Date }, currency?: string): Promise<Aggregate[]> {
    const [, units, froms, tos] = pieceColumns([{ label: '', pieces: piecesOf(bounds.start, bounds.end) }]);
    const rows: Row[] = await inReportTransaction(this.tx, ctx, (t) => this.m(t).query(
      `SELECT r.currency, r.product_id AS key, ${SUMS}, sum(refunded_orders)::text AS refunded_orders
         FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS p(unit, s, e)
        CROSS JOIN LATERAL (${pieceRows('analytics_product_hourly', 'analytics_product_periods', 'currency, product_id, orders, revenue, units, refunds, refunded_orders')}) AS r
        GROUP BY 1, 2
       HAVING sum(orders) > 0`,
      [ctx.tenant, ctx.mode, currency ?? null, units, froms, tos],
    ));
    return rows.map(aggregateOf);
  }

  /** Per shipping country and region over the range; the key is `country/region`. */
  async byRegion(ctx: RequestContext, bounds: { start: Date; end: Date }, currency?: string): Promise<Aggregate[]> {
    const [, units, froms, tos] = pieceColumns([{ label: '', pieces: piecesOf(bounds.start, bounds.end) }]);
    const rows: Row[] = await inReportTransaction(this.tx, ctx, (t) => this.m(t).query(
      `SELECT r.currency, r.country || '/' || r.region AS key, ${SUMS}, sum(cancelled_orders)::text AS cancelled_orders
         FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS p(unit, s, e)
        CROSS JOIN LATERAL (${pieceRows('analytics_region_hourly', 'analytics_region_periods', 'currency, country, region, orders, revenue, units, refunds, cancelled_orders')}) AS r
        GROUP BY r.currency, r.country, r.region`,
      [ctx.tenant, ctx.mode, currency ?? null, units, froms, tos],
    ));
    return rows.map(aggregateOf);
  }

  /** Per customer over the range, the largest revenue first, at most GROUP_LIMIT per currency (from the facts: no rollup has customers by time). */
  async byCustomer(ctx: RequestContext, bounds: { start: Date; end: Date }, currency?: string): Promise<Aggregate[]> {
    const rows: Row[] = await inReportTransaction(this.tx, ctx, (t) => this.m(t).query(
      `SELECT currency, key, orders, revenue, units, refunds, cancelled_orders FROM (
         SELECT currency, customer_id AS key,
                count(*) FILTER (WHERE counted)::text AS orders, coalesce(sum(total) FILTER (WHERE counted), 0)::text AS revenue,
                coalesce(sum(units) FILTER (WHERE counted), 0)::text AS units, coalesce(sum(refunded) FILTER (WHERE counted), 0)::text AS refunds,
                count(*) FILTER (WHERE NOT counted)::text AS cancelled_orders,
                row_number() OVER (PARTITION BY currency ORDER BY coalesce(sum(total) FILTER (WHERE counted), 0) DESC, customer_id) AS rank
           FROM analytics_order_facts
          WHERE tenant_id = $1 AND mode = $2 AND placed_at >= $3 AND placed_at < $4 AND ($5::text IS NULL OR currency = $5)
          GROUP BY currency, customer_id) ranked
        WHERE rank <= ${GROUP_LIMIT}`,
      [ctx.tenant, ctx.mode, bounds.start, bounds.end, currency ?? null],
    ));
    return rows.map(aggregateOf);
  }

  /** Runs a custom report compiled from the whitelist (custom-report.compiler.ts): fixed SQL text, values bound. */
  runCompiled(ctx: RequestContext, sql: string, params: unknown[]): Promise<Record<string, string | null>[]> {
    return inReportTransaction(this.tx, ctx, (t) => this.m(t).query(sql, params));
  }
}

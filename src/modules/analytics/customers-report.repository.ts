import { Injectable } from '@nestjs/common';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { returningPlan } from './customer-returns';
import { inReportTransaction } from './report-reads';
import { floorDay, piecesOf } from './report-pieces';

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

type Row = Record<string, string | boolean | null>;
const num = (v: string | boolean | null | undefined) => (v === null || v === undefined ? 0 : Number(v));
const text = (v: string | boolean | null | undefined) => (v === null || v === undefined || v === '' ? null : String(v));

const GEOGRAPHY_LIMIT = 10_000;

/** SQL: the UTC day starting at `day` lies in one month of zone $4 (and the zone's offset does not change during it). */
const ONE_MONTH = (day: string) =>
  `(date_trunc('month', ${day} AT TIME ZONE $4) = date_trunc('month', (${day} + interval '24 hours' - interval '1 microsecond') AT TIME ZONE $4)
    AND (${day} + interval '24 hours') AT TIME ZONE $4 - ${day} AT TIME ZONE $4 = interval '24 hours')`;

export interface CustomersOverview {
  summary: CustomerSummaryRow[];
  /** Customers by the month (in the zone) of their first order. */
  cohorts: CustomerSegmentRow[];
  /** Customers by the country and region of their latest order's shipping address, the largest lifetime value first. */
  geography: CustomerSegmentRow[];
  /** True when a first-order hour is not a whole hour in the zone (a month boundary could cut it). */
  cohortsOffTheHour: boolean;
}

/**
 * The customers report's reads, all from the customer rollups (customer-rollups.service.ts): rows
 * per place, per first-order day (and the hours of the days a local month boundary cuts), per
 * last-order day, and the returns grid. None of them grows with the number of orders or customers;
 * edges narrower than a UTC day (the at-risk instant; a range in a zone other than UTC) are read
 * from the customer totals and the facts by index.
 */
@Injectable()
export class CustomersReportRepository extends TenantScopedRepository {
  overview(ctx: RequestContext, bounds: { start: Date; end: Date }, atRiskBefore: Date, timezone: string, currency?: string): Promise<CustomersOverview> {
    return inReportTransaction(this.tx, ctx, (t) => this.readOverview(t, bounds, atRiskBefore, timezone, currency));
  }

  private async readOverview(
    ctx: RequestContext, bounds: { start: Date; end: Date }, atRiskBefore: Date, timezone: string, currency?: string,
  ): Promise<CustomersOverview> {
    const m = this.m(ctx);
    const scope = [ctx.tenant, ctx.mode, currency ?? null];
    const places: Row[] = await m.query(
      `SELECT currency, country, region, customers::text, orders::text, lifetime_value::text
         FROM analytics_customer_geography AS g
        WHERE tenant_id = $1 AND mode = $2 AND ($3::text IS NULL OR currency = $3) AND customers <> 0
        ORDER BY g.currency, g.lifetime_value DESC, nullif(g.country, ''), nullif(g.region, '')`,
      scope,
    );
    const months: Row[] = await m.query(
      `SELECT currency, to_char(month, 'YYYY-MM') AS month, sum(customers)::text AS customers, sum(orders)::text AS orders,
              sum(lifetime_value)::text AS lifetime_value, bool_and(whole_hour) AS whole_hours
         FROM (SELECT d.currency, date_trunc('month', d.first_start AT TIME ZONE $4) AS month, d.customers, d.orders, d.lifetime_value, true AS whole_hour
                 FROM analytics_customer_cohorts d
                WHERE d.tenant_id = $1 AND d.mode = $2 AND d.unit = 'day' AND ($3::text IS NULL OR d.currency = $3) AND ${ONE_MONTH('d.first_start')}
               UNION ALL
               SELECT h.currency, date_trunc('month', h.first_start AT TIME ZONE $4), h.customers, h.orders, h.lifetime_value,
                      h.first_start AT TIME ZONE $4 = date_trunc('hour', h.first_start AT TIME ZONE $4)
                 FROM analytics_customer_cohorts d
                 JOIN analytics_customer_cohorts h ON h.tenant_id = d.tenant_id AND h.mode = d.mode AND h.unit = 'hour' AND h.currency = d.currency
                      AND h.first_start >= d.first_start AND h.first_start < d.first_start + interval '24 hours'
                WHERE d.tenant_id = $1 AND d.mode = $2 AND d.unit = 'day' AND ($3::text IS NULL OR d.currency = $3) AND NOT ${ONE_MONTH('d.first_start')}) AS c
        GROUP BY currency, month
        ORDER BY currency, month`,
      [...scope, timezone],
    );
    const counts = new Map((await this.newAndAtRisk(ctx, bounds, atRiskBefore, currency)).map((r) => [r.currency as string, r]));

    const overview: CustomersOverview = { summary: [], cohorts: [], geography: [], cohortsOffTheHour: false };
    const summaries = new Map<string, CustomerSummaryRow>();
    for (const r of places) {
      const c = r.currency as string;
      const n = counts.get(c);
      const s = summaries.get(c) ?? { currency: c, customers: 0, orders: 0, lifetime_value: 0, new_customers: num(n?.new_customers), at_risk: num(n?.at_risk), at_risk_value: num(n?.at_risk_value) };
      s.customers += num(r.customers);
      s.orders += num(r.orders);
      s.lifetime_value += num(r.lifetime_value);
      summaries.set(c, s);
      if (overview.geography.length < GEOGRAPHY_LIMIT) {
        overview.geography.push({ currency: c, country: text(r.country), region: text(r.region), customers: num(r.customers), orders: num(r.orders), lifetime_value: num(r.lifetime_value) });
      }
    }
    for (const r of months) {
      if (r.whole_hours === false) overview.cohortsOffTheHour = true;
      if (num(r.customers) !== 0) {
        overview.cohorts.push({ currency: r.currency as string, month: r.month as string, customers: num(r.customers), orders: num(r.orders), lifetime_value: num(r.lifetime_value) });
      }
    }
    overview.summary = [...summaries.values()];
    return overview;
  }

  /**
   * Per currency: customers whose first order is in the range (whole UTC days from the day rows,
   * edge hours from the hour rows), and customers whose latest order is before `atRiskBefore`
   * (whole days from the recency rows, the day holding the instant from the customer totals).
   */
  private newAndAtRisk(ctx: RequestContext, bounds: { start: Date; end: Date }, atRiskBefore: Date, currency?: string): Promise<Row[]> {
    const pieces = piecesOf(bounds.start, bounds.end, false);
    return this.m(ctx).query(
      `SELECT currency, sum(new_customers)::text AS new_customers, sum(at_risk)::text AS at_risk, sum(at_risk_value)::text AS at_risk_value FROM (
         SELECT c.currency, c.customers AS new_customers, 0 AS at_risk, 0 AS at_risk_value
           FROM unnest($4::text[], $5::timestamptz[], $6::timestamptz[]) AS p(unit, s, e)
           JOIN analytics_customer_cohorts c ON c.tenant_id = $1 AND c.mode = $2 AND c.unit = p.unit AND c.first_start >= p.s AND c.first_start < p.e
         UNION ALL
         SELECT currency, 0, customers, lifetime_value FROM analytics_customer_recency
          WHERE tenant_id = $1 AND mode = $2 AND last_day < $7
         UNION ALL
         SELECT currency, 0, 1, revenue - refunds FROM analytics_customer_totals
          WHERE tenant_id = $1 AND mode = $2 AND last_order_at >= $7 AND last_order_at < $8
       ) AS r
        WHERE ($3::text IS NULL OR currency = $3)
        GROUP BY currency`,
      [ctx.tenant, ctx.mode, currency ?? null, pieces.map((p) => p.unit), pieces.map((p) => p.from), pieces.map((p) => p.to), floorDay(atRiskBefore), atRiskBefore],
    );
  }

  /**
   * Customers who ordered in the range and before it, per currency: the returns with
   * prev < start ≤ next < end, from the returns grid plus, off UTC midnights, the facts of the
   * hours at the edges (customer-returns.ts).
   */
  async returning(ctx: RequestContext, bounds: { start: Date; end: Date }, currency?: string): Promise<Map<string, number>> {
    const p = returningPlan(bounds.start, bounds.end);
    const hours = [...p.nextHours, { from: p.range.from, to: p.range.from }, { from: p.range.from, to: p.range.from }].slice(0, 2);
    const cells = `SELECT currency, returns AS n FROM analytics_customer_returns WHERE tenant_id = $1 AND mode = $2`;
    const prevMonths = `prev_unit = 'month' AND prev_start < $4`;
    const prevDays = `prev_unit = 'day' AND prev_start >= $4 AND prev_start < $5`;
    const nextMonths = `next_unit = 'month' AND next_start >= $9 AND next_start < $10`;
    const nextDays = `next_unit = 'day' AND next_start >= $7 AND next_start < $8 AND NOT (next_start >= $9 AND next_start < $10)`;
    const rows: Row[] = await inReportTransaction(this.tx, ctx, (t) => this.m(t).query(
      `SELECT currency, sum(n)::text AS customers FROM (
         ${cells} AND ${prevMonths} AND ${nextMonths}
         UNION ALL ${cells} AND ${prevMonths} AND ${nextDays}
         UNION ALL ${cells} AND ${prevDays} AND ${nextMonths}
         UNION ALL ${cells} AND ${prevDays} AND ${nextDays}
         UNION ALL
         SELECT currency, 1 FROM analytics_order_facts
          WHERE tenant_id = $1 AND mode = $2 AND prev_at >= $5 AND prev_at < $6 AND placed_at >= $11 AND placed_at < $12
         UNION ALL
         SELECT currency, 1 FROM analytics_order_facts
          WHERE tenant_id = $1 AND mode = $2 AND prev_at < $5
            AND ((placed_at >= $13 AND placed_at < $14) OR (placed_at >= $15 AND placed_at < $16))
       ) AS r
        WHERE ($3::text IS NULL OR currency = $3)
        GROUP BY currency`,
      [
        ctx.tenant, ctx.mode, currency ?? null,
        p.prevMonthsBefore, p.prevDays.to, p.prevHours.to,
        p.nextDays.from, p.nextDays.to, p.nextMonths.from, p.nextMonths.to,
        p.range.from, p.range.to, hours[0].from, hours[0].to, hours[1].from, hours[1].to,
      ],
    ));
    return new Map(rows.map((r) => [r.currency as string, num(r.customers)]));
  }
}

import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { PortBindings } from '../../platform/ports/port-bindings';
import type { GetSalesReportQueryDto } from '../../generated/request-dtos';
import { addUp, metricsOf, parseMetrics, type Metric } from './metrics';
import { ANALYTICS_PRODUCT_DIRECTORY, type AnalyticsProductDirectory } from './product-directory.port';
import { assertWholeHours, resolveRange } from './report-range';
import { ReportsRepository, type Aggregate } from './reports.repository';

const MAX_BUCKETS = 2000;

/** `GET /analytics/sales`: the series per currency from the hourly rollups, and per-group totals. */
@Injectable()
export class SalesReportService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
    private readonly bindings: PortBindings,
  ) {}

  async report(ctx: RequestContext, query: GetSalesReportQueryDto): Promise<Schemas['SalesReport']> {
    const metrics = parseMetrics(query.metrics);
    const range = resolveRange(query, this.clock.now());
    const buckets = await this.repo.buckets(ctx, range, range.period);
    if (buckets.length > MAX_BUCKETS) throw new InvalidRequestError(`The range has ${buckets.length} buckets; at most ${MAX_BUCKETS}`, 'period');
    assertWholeHours(buckets, range.timezone);
    const bounds = { start: buckets[0].start, end: buckets[buckets.length - 1].end };
    const series = await this.repo.salesSeries(ctx, buckets, query.currency);
    const groups = query.group_by ? await this.groups(ctx, query.group_by, bounds, query.currency) : null;
    const currencies = [...new Set(series.map((s) => s.currency))].sort();
    return {
      period: range.period,
      timezone: range.timezone,
      start_date: range.startDate,
      end_date: range.endDate,
      group_by: query.group_by ?? null,
      metrics,
      currencies: currencies.map((currency) => {
        const rows = series.filter((s) => s.currency === currency);
        const byLabel = new Map(rows.map((r) => [r.key, r]));
        return {
          currency,
          totals: metricsOf(addUp(rows), metrics),
          series: buckets.map((b) => ({
            label: b.label,
            start: b.start.toISOString(),
            end: b.end.toISOString(),
            metrics: metricsOf(byLabel.get(b.label) ?? addUp([]), metrics),
          })),
          groups: groups ? groupsOf(groups.filter((g) => g.currency === currency), metrics) : null,
        };
      }),
    };
  }

  private async groups(ctx: RequestContext, groupBy: NonNullable<GetSalesReportQueryDto['group_by']>, bounds: { start: Date; end: Date }, currency?: string): Promise<Aggregate[]> {
    switch (groupBy) {
      case 'product':
        return this.repo.byProduct(ctx, bounds, currency);
      case 'region':
        return this.repo.byRegion(ctx, bounds, currency);
      case 'customer':
        return this.repo.byCustomer(ctx, bounds, currency);
      case 'category':
        return this.byCategory(ctx, await this.repo.byProduct(ctx, bounds, currency));
    }
  }

  /** Product rows summed per category of the product (now); a product in two categories counts in both, and an order counts once per product of the category. */
  private async byCategory(ctx: RequestContext, products: Aggregate[]): Promise<Aggregate[]> {
    const directory = this.bindings.one<AnalyticsProductDirectory>(ANALYTICS_PRODUCT_DIRECTORY);
    const known = directory ? await directory.describe(ctx, [...new Set(products.map((p) => p.key))]) : new Map();
    const sums = new Map<string, Aggregate>();
    for (const p of products) {
      for (const category of known.get(p.key)?.categories ?? ['']) {
        const id = `${p.currency}\u0000${category}`;
        const s = sums.get(id) ?? { currency: p.currency, key: category, orders: 0, revenue: 0, units: 0, refunds: 0, cancelled_orders: null };
        s.orders += p.orders;
        s.revenue += p.revenue;
        s.units += p.units;
        s.refunds += p.refunds;
        sums.set(id, s);
      }
    }
    return [...sums.values()];
  }
}

function groupsOf(rows: Aggregate[], metrics: readonly Metric[]): Schemas['SalesGroup'][] {
  return rows
    .sort((a, b) => b.revenue - a.revenue || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => ({ key: r.key, metrics: metricsOf(r, metrics) }));
}

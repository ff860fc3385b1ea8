import { Injectable } from '@nestjs/common';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import { PortBindings } from '../../platform/ports/port-bindings';
import type { GetProductsReportQueryDto } from '../../generated/request-dtos';
import { ANALYTICS_PRODUCT_DIRECTORY, type AnalyticsProductDirectory } from './product-directory.port';
import { assertWholeHours, resolveRange } from './report-range';
import { ReportsRepository } from './reports.repository';

type ProductSort = NonNullable<GetProductsReportQueryDto['sort']>;

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** `GET /analytics/products`: per product and currency from the hourly product rollups, ranked. */
@Injectable()
export class ProductsReportService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly clock: Clock,
    private readonly bindings: PortBindings,
  ) {}

  async report(ctx: RequestContext, query: GetProductsReportQueryDto): Promise<Schemas['ProductsReport']> {
    const range = resolveRange({ ...query, period: 'day' }, this.clock.now());
    const bounds = await this.repo.bounds(ctx, range);
    assertWholeHours([bounds], range.timezone);
    const sort: ProductSort = query.sort ?? 'revenue';
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 10;
    const rows = await this.repo.byProduct(ctx, bounds, query.currency);
    const directory = this.bindings.one<AnalyticsProductDirectory>(ANALYTICS_PRODUCT_DIRECTORY);
    const products = directory ? await directory.describe(ctx, [...new Set(rows.map((r) => r.key))]) : new Map();
    const currencies = [...new Set(rows.map((r) => r.currency))].sort();
    return {
      timezone: range.timezone,
      start_date: range.startDate,
      end_date: range.endDate,
      sort,
      order,
      limit,
      currencies: currencies.map((currency) => {
        const performance: Schemas['ProductPerformance'][] = rows
          .filter((r) => r.currency === currency)
          .map((r) => {
            const product = products.get(r.key);
            const stock: number | null = product ? product.stock : null;
            const refunded = r.refunded_orders ?? 0;
            return {
              product_id: r.key,
              name: product?.name ?? null,
              sku: product?.sku ?? null,
              units: r.units,
              revenue: r.revenue,
              orders: r.orders,
              refunds: r.refunds,
              refunded_orders: refunded,
              refund_rate: r.orders === 0 ? 0 : round(refunded / r.orders, 4),
              stock_on_hand: stock,
              stock_turnover: stock ? round(r.units / stock, 2) : null,
            };
          });
        const direction = order === 'desc' ? -1 : 1;
        performance.sort((a, b) => direction * ((a[sort] ?? -1) - (b[sort] ?? -1)) || (a.product_id < b.product_id ? -1 : 1));
        return { currency, products: performance.slice(0, limit) };
      }),
    };
  }
}

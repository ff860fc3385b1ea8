import { DomainError, type FieldIssue } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { daysOf, piecesOf, type Piece } from './report-pieces';

/**
 * The custom report's whitelist and its compilation to SQL. Only the fixed SQL fragments of these
 * maps reach the statement text; every value from the request (zone, filter values, range, limit)
 * is a bind parameter. Names outside the whitelist are refused, all of them in one 400.
 */
const TIME_DIMENSIONS = {
  day: { unit: 'day', label: 'YYYY-MM-DD' },
  week: { unit: 'week', label: 'IYYY-"W"IW' },
  month: { unit: 'month', label: 'YYYY-MM' },
  quarter: { unit: 'quarter', label: 'YYYY-"Q"Q' },
  year: { unit: 'year', label: 'YYYY' },
} as const;
const PLAIN_DIMENSIONS = { currency: 'currency', product_id: 'product_id', country: 'country', region: 'region' } as const;
export const DIMENSIONS = [...Object.keys(TIME_DIMENSIONS), ...Object.keys(PLAIN_DIMENSIONS)];

const MEASURES = {
  revenue: 'sum(revenue)',
  orders: 'sum(orders)',
  units: 'sum(units)',
  refunds: 'sum(refunds)',
  net_revenue: 'sum(revenue) - sum(refunds)',
  // round(numeric) rounds half away from zero, as the other reports do.
  avg_order_value: 'CASE WHEN sum(orders) = 0 THEN 0 ELSE round(sum(revenue)::numeric / sum(orders)) END',
  cancelled_orders: 'sum(cancelled_orders)',
} as const;
export const MEASURES_LIST = Object.keys(MEASURES);
/** Per-product rows have no order-level figures. */
const NOT_PER_PRODUCT = ['avg_order_value', 'cancelled_orders'];

export const VALUE_FILTERS = ['currency', 'country', 'region', 'product_id'] as const;
export const RANGE_FILTERS = ['start_date', 'end_date', 'date_range', 'timezone'] as const;
const SOURCES = {
  sales: { hourly: 'analytics_sales_hourly', periods: 'analytics_sales_periods', columns: 'currency, orders, revenue, units, refunds, cancelled_orders' },
  product: { hourly: 'analytics_product_hourly', periods: 'analytics_product_periods', columns: 'currency, product_id, orders, revenue, units, refunds' },
  region: { hourly: 'analytics_region_hourly', periods: 'analytics_region_periods', columns: 'currency, country, region, orders, revenue, units, refunds, cancelled_orders' },
} as const;

export interface CompiledReport {
  sql: string;
  params: unknown[];
  dimensions: string[];
  measures: string[];
}

const has = (map: object, name: string) => Object.prototype.hasOwnProperty.call(map, name);

/** Checks every name of the request: unknown dimensions, measures, filters or sort fields → one 400 listing each. */
export function checkNames(body: Schemas['CustomReportRequest']): void {
  const issues: FieldIssue[] = [];
  (body.dimensions ?? []).forEach((d, i) => {
    if (!has(TIME_DIMENSIONS, d) && !has(PLAIN_DIMENSIONS, d)) issues.push({ field: `dimensions[${i}]`, message: `unknown dimension '${d}' (known: ${DIMENSIONS.join(', ')})` });
  });
  body.measures.forEach((m, i) => {
    if (!has(MEASURES, m)) issues.push({ field: `measures[${i}]`, message: `unknown measure '${m}' (known: ${MEASURES_LIST.join(', ')})` });
  });
  for (const f of Object.keys(body.filters ?? {})) {
    if (!(VALUE_FILTERS as readonly string[]).includes(f) && !(RANGE_FILTERS as readonly string[]).includes(f)) {
      issues.push({ field: `filters.${f}`, message: `unknown filter '${f}' (known: ${[...RANGE_FILTERS, ...VALUE_FILTERS].join(', ')})` });
    }
  }
  const sort = body.sort?.field;
  if (sort !== undefined && !(body.dimensions ?? []).includes(sort) && !body.measures.includes(sort) && sort !== 'currency') {
    issues.push({ field: 'sort.field', message: `cannot sort by '${sort}': not one of the report's dimensions or measures` });
  }
  const dims = new Set(body.dimensions ?? []);
  const filters = body.filters ?? {};
  const perProduct = dims.has('product_id') || filters.product_id !== undefined;
  const perRegion = dims.has('country') || dims.has('region') || filters.country !== undefined || filters.region !== undefined;
  if (perProduct && perRegion) issues.push({ field: 'dimensions', message: 'product_id cannot be combined with country or region' });
  if (perProduct) {
    body.measures.forEach((m, i) => {
      if (NOT_PER_PRODUCT.includes(m)) issues.push({ field: `measures[${i}]`, message: `measure '${m}' is not available per product` });
    });
  }
  if (issues.length > 0) {
    throw new DomainError('invalid_request', `Invalid custom report: ${issues.map((i) => i.message).join('; ')}`, issues[0].field, issues);
  }
}

/** The statement for a checked request over ctx's tenant and mode, between two UTC instants. */
export function compileCustomReport(
  body: Schemas['CustomReportRequest'],
  scope: { tenant: string; mode: string; start: Date; end: Date; timezone: string },
): CompiledReport {
  checkNames(body);
  const dimensions = ['currency', ...(body.dimensions ?? []).filter((d) => d !== 'currency')].filter((d, i, all) => all.indexOf(d) === i);
  const measures = body.measures.filter((m, i, all) => all.indexOf(m) === i);
  const filters = body.filters ?? {};
  const params: unknown[] = [scope.tenant, scope.mode];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const perProduct = dimensions.includes('product_id') || filters.product_id !== undefined;
  const perRegion = dimensions.includes('country') || dimensions.includes('region') || filters.country !== undefined || filters.region !== undefined;
  const source = SOURCES[perProduct ? 'product' : perRegion ? 'region' : 'sales'];
  const units = dimensions.filter((d) => has(TIME_DIMENSIONS, d)).map((d) => TIME_DIMENSIONS[d as keyof typeof TIME_DIMENSIONS].unit);
  const zone = units.length > 0 ? bind(scope.timezone) : '';

  const select = dimensions.map((d) => {
    if (has(TIME_DIMENSIONS, d)) {
      const t = TIME_DIMENSIONS[d as keyof typeof TIME_DIMENSIONS];
      return `to_char(date_trunc('${t.unit}', at AT TIME ZONE ${zone}), '${t.label}') AS "${d}"`;
    }
    return `${PLAIN_DIMENSIONS[d as keyof typeof PLAIN_DIMENSIONS]} AS "${d}"`;
  });
  for (const m of measures) select.push(`(${MEASURES[m as keyof typeof MEASURES]})::text AS "${m}"`);
  const where = ['true'];
  for (const f of VALUE_FILTERS) if (filters[f] !== undefined) where.push(`${f} = ${bind(filters[f])}`);
  const sortField = body.sort?.field ?? measures[0];
  const direction = (body.sort?.order ?? 'desc') === 'asc' ? 'ASC' : 'DESC';
  const tieBreak = dimensions.map((_, i) => String(i + 1)).join(', ');
  const sortExpr = measures.includes(sortField) ? MEASURES[sortField as keyof typeof MEASURES] : `"${sortField}"`;
  const rows = rowsOf(source, piecesOf(scope.start, scope.end), (x, y) => sameBuckets(units, zone, x, y), bind);
  const sql = `SELECT ${select.join(', ')} FROM (${rows}) AS src WHERE ${where.join(' AND ')}
    GROUP BY ${tieBreak} ORDER BY ${sortExpr} ${direction}, ${tieBreak} LIMIT ${bind(body.limit ?? 100)}`;
  return { sql, params, dimensions, measures };
}

/** SQL: every instant of [x, y) falls in one bucket of each time dimension in the zone (true when there is none). */
function sameBuckets(units: readonly string[], zone: string, x: string, y: string): string {
  if (units.length === 0) return 'true';
  const sameOffset = `(${y}) AT TIME ZONE ${zone} - (${x}) AT TIME ZONE ${zone} = (${y}) - (${x})`;
  const sameBucket = (u: string) => `date_trunc('${u}', (${x}) AT TIME ZONE ${zone}) = date_trunc('${u}', ((${y}) - interval '1 microsecond') AT TIME ZONE ${zone})`;
  return `(${[sameOffset, ...units.map(sameBucket)].join(' AND ')})`;
}

/**
 * SQL: the rollup rows of [start, end) with `at`, the start of their period: the UTC months wholly
 * inside the range that lie in one bucket of each time dimension, then the days (of the range, not
 * in those months) that do, then the hourly rows of the rest. Period rows are only used where every
 * hour they sum would get the same buckets, so the result equals summing the hourly rows.
 */
function rowsOf(source: (typeof SOURCES)[keyof typeof SOURCES], pieces: Piece[], clean: (x: string, y: string) => string, bind: (v: unknown) => string): string {
  const months = pieces.filter((p) => p.unit === 'month').flatMap((p) => monthsOf(p.from, p.to));
  const days = pieces.filter((p) => p.unit !== 'hour').flatMap((p) => daysOf(p.from, p.to));
  const hours = pieces.filter((p) => p.unit === 'hour');
  const [m, d, hs, he] = [bind(months), bind(days), bind(hours.map((h) => h.from)), bind(hours.map((h) => h.to))];
  const monthEnd = `(s AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC'`;
  const notInMonths = `date_trunc('month', s, 'UTC') NOT IN (SELECT s FROM m)`;
  const cols = source.columns;
  return `WITH m AS (SELECT s FROM unnest(${m}::timestamptz[]) AS s WHERE ${clean('s', monthEnd)}),
       d AS (SELECT s FROM unnest(${d}::timestamptz[]) AS s WHERE ${notInMonths} AND ${clean('s', `s + interval '24 hours'`)}),
       h AS (SELECT s, s + interval '24 hours' AS e FROM unnest(${d}::timestamptz[]) AS s WHERE ${notInMonths} AND s NOT IN (SELECT s FROM d)
             UNION ALL SELECT * FROM unnest(${hs}::timestamptz[], ${he}::timestamptz[]))
    SELECT period_start AS at, ${cols} FROM ${source.periods} WHERE tenant_id = $1 AND mode = $2 AND unit = 'month' AND period_start IN (SELECT s FROM m)
    UNION ALL SELECT period_start, ${cols} FROM ${source.periods} WHERE tenant_id = $1 AND mode = $2 AND unit = 'day' AND period_start IN (SELECT s FROM d)
    UNION ALL SELECT t.hour, ${cols.split(', ').map((c) => `t.${c}`).join(', ')} FROM h JOIN ${source.hourly} t ON t.tenant_id = $1 AND t.mode = $2 AND t.hour >= h.s AND t.hour < h.e`;
}

/** The UTC month starts of [from, to) (both UTC month starts). */
function monthsOf(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  for (let at = from; at < to; at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))) months.push(at);
  return months;
}

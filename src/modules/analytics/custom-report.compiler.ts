import { DomainError, type FieldIssue } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';

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
const TABLES = { sales: 'analytics_sales_hourly', product: 'analytics_product_hourly', region: 'analytics_region_hourly' } as const;

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
  const params: unknown[] = [scope.tenant, scope.mode, scope.start, scope.end];
  const bind = (value: unknown) => `$${params.push(value)}`;
  let zone: string | undefined;
  const perProduct = dimensions.includes('product_id') || filters.product_id !== undefined;
  const perRegion = dimensions.includes('country') || dimensions.includes('region') || filters.country !== undefined || filters.region !== undefined;
  const table = perProduct ? TABLES.product : perRegion ? TABLES.region : TABLES.sales;

  const select = dimensions.map((d) => {
    if (has(TIME_DIMENSIONS, d)) {
      const t = TIME_DIMENSIONS[d as keyof typeof TIME_DIMENSIONS];
      zone ??= bind(scope.timezone);
      return `to_char(date_trunc('${t.unit}', hour AT TIME ZONE ${zone}), '${t.label}') AS "${d}"`;
    }
    return `${PLAIN_DIMENSIONS[d as keyof typeof PLAIN_DIMENSIONS]} AS "${d}"`;
  });
  for (const m of measures) select.push(`(${MEASURES[m as keyof typeof MEASURES]})::text AS "${m}"`);
  const where = ['tenant_id = $1', 'mode = $2', 'hour >= $3', 'hour < $4'];
  for (const f of VALUE_FILTERS) if (filters[f] !== undefined) where.push(`${f} = ${bind(filters[f])}`);
  const sortField = body.sort?.field ?? measures[0];
  const direction = (body.sort?.order ?? 'desc') === 'asc' ? 'ASC' : 'DESC';
  const tieBreak = dimensions.map((_, i) => String(i + 1)).join(', ');
  const sortExpr = measures.includes(sortField) ? MEASURES[sortField as keyof typeof MEASURES] : `"${sortField}"`;
  const sql = `SELECT ${select.join(', ')} FROM ${table} WHERE ${where.join(' AND ')}
    GROUP BY ${tieBreak} ORDER BY ${sortExpr} ${direction}, ${tieBreak} LIMIT ${bind(body.limit ?? 100)}`;
  return { sql, params, dimensions, measures };
}

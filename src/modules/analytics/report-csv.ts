import type { Schemas } from '../../platform/openapi/schemas';
import { toCsv } from './csv';

/** The reports as CSV: one row per currency and bucket, group, product or segment; money in minor units. */
export function salesCsv(report: Schemas['SalesReport']): string {
  const metrics = report.metrics;
  const rows: (string | number | null | undefined)[][] = [];
  for (const c of report.currencies) {
    const first = c.series[0];
    const last = c.series[c.series.length - 1];
    rows.push([c.currency, 'total', '', '', first?.start, last?.end, ...metrics.map((m) => c.totals[m])]);
    for (const b of c.series) rows.push([c.currency, 'bucket', '', b.label, b.start, b.end, ...metrics.map((m) => b.metrics[m])]);
    for (const g of c.groups ?? []) rows.push([c.currency, 'group', g.key, '', '', '', ...metrics.map((m) => g.metrics[m])]);
  }
  return toCsv(['currency', 'row', 'key', 'label', 'start', 'end', ...metrics], rows);
}

export function productsCsv(report: Schemas['ProductsReport']): string {
  const columns = ['product_id', 'name', 'sku', 'units', 'revenue', 'orders', 'refunds', 'refunded_orders', 'refund_rate', 'stock_on_hand', 'stock_turnover'] as const;
  const rows = report.currencies.flatMap((c) => c.products.map((p) => [c.currency, ...columns.map((k) => p[k])]));
  return toCsv(['currency', ...columns], rows);
}

export function customersCsv(report: Schemas['CustomersReport']): string {
  const rows: (string | number | null)[][] = [];
  for (const c of report.currencies) {
    rows.push([c.currency, 'summary', '', c.customers, null, c.lifetime_value.total, c.lifetime_value.average]);
    rows.push([c.currency, 'new', '', c.new_customers, null, null, null]);
    rows.push([c.currency, 'returning', '', c.returning_customers, null, null, null]);
    rows.push([c.currency, 'at_risk', '', c.at_risk.customers, null, c.at_risk.lifetime_value, null]);
    for (const s of c.cohorts) rows.push([c.currency, 'cohort', s.month ?? '', s.customers, s.orders, s.lifetime_value, s.average_lifetime_value ?? null]);
    for (const s of c.geography) rows.push([c.currency, 'geography', `${s.country ?? ''}/${s.region ?? ''}`, s.customers, s.orders, s.lifetime_value, s.average_lifetime_value ?? null]);
  }
  return toCsv(['currency', 'section', 'key', 'customers', 'orders', 'lifetime_value', 'average_lifetime_value'], rows);
}

export function customCsv(report: Schemas['CustomReport']): string {
  const columns = [...report.dimensions, ...report.measures];
  return toCsv(columns, report.rows.map((r) => columns.map((k) => r[k])));
}

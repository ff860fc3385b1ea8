import { InvalidRequestError, DomainError } from '../../platform/errors/domain-errors';
import { prorateMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Aggregate } from './reports.repository';

export const METRICS = ['revenue', 'orders', 'units', 'avg_order_value', 'refunds', 'net_revenue', 'cancelled_orders'] as const;
export type Metric = (typeof METRICS)[number];

/** `metrics=a,b` → the metrics, all when absent; unknown names → 400 naming every one. */
export function parseMetrics(value: string | undefined): Metric[] {
  if (value === undefined) return [...METRICS];
  const names = [...new Set(value.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const unknown = names.filter((n) => !(METRICS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new DomainError(
      'invalid_request',
      `Unknown metric(s): ${unknown.join(', ')} (known: ${METRICS.join(', ')})`,
      'metrics',
      unknown.map((n) => ({ field: 'metrics', message: `unknown metric '${n}'` })),
    );
  }
  if (names.length === 0) throw new InvalidRequestError('metrics names no metric', 'metrics');
  return names as Metric[];
}

/** `revenue / orders`, rounded to the nearest minor unit; 0 without orders. */
export function averageOrderValue(revenue: number, orders: number): number {
  return orders === 0 ? 0 : prorateMinor(revenue, 1, orders);
}

/** The asked metrics of an aggregate (`cancelled_orders` only where its source knows it). */
export function metricsOf(a: Omit<Aggregate, 'currency' | 'key'>, wanted: readonly Metric[]): Schemas['AnalyticsMetrics'] {
  const all: Record<Metric, number | null> = {
    revenue: a.revenue,
    orders: a.orders,
    units: a.units,
    avg_order_value: averageOrderValue(a.revenue, a.orders),
    refunds: a.refunds,
    net_revenue: a.revenue - a.refunds,
    cancelled_orders: a.cancelled_orders,
  };
  const out: Schemas['AnalyticsMetrics'] = {};
  for (const m of wanted) if (all[m] !== null) out[m] = all[m]!;
  return out;
}

/** Adds aggregates up (same currency). */
export function addUp(parts: readonly Omit<Aggregate, 'currency' | 'key'>[]): Omit<Aggregate, 'currency' | 'key'> {
  const total = { orders: 0, revenue: 0, units: 0, refunds: 0, cancelled_orders: 0 as number | null };
  for (const p of parts) {
    total.orders += p.orders;
    total.revenue += p.revenue;
    total.units += p.units;
    total.refunds += p.refunds;
    total.cancelled_orders = p.cancelled_orders === null || total.cancelled_orders === null ? null : total.cancelled_orders + p.cancelled_orders;
  }
  return total;
}

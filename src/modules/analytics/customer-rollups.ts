import type { OrderFact } from './order-facts';
import { floorDay } from './report-pieces';

/** One customer's counted orders in one currency (a row of analytics_customer_totals). */
export interface CustomerTotals {
  orders: number;
  revenue: number;
  refunds: number;
  firstOrderAt: Date;
  lastOrderAt: Date;
  /** The latest order's shipping address (by placed_at, then order id). */
  country: string | null;
  region: string | null;
}

/**
 * What a customer adds to the row of a key in the cohort, geography or recency rollup. Keys:
 * cohorts `hour|<ISO>` and `day|<ISO>` (a customer counts in one row of each unit), geography
 * placeKey(), recency the ISO start of the UTC day.
 */
export interface SegmentDelta {
  key: string;
  customers: number;
  orders: number;
  lifetimeValue: number;
}

export interface SegmentDeltas {
  cohorts: SegmentDelta[];
  geography: SegmentDelta[];
  recency: SegmentDelta[];
}

const HOUR_MS = 3_600_000;

export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

/** The geography key: country and region joined by a NUL, '' for a missing part (the rollup's key columns are NOT NULL). */
export function placeKey(country: string | null, region: string | null): string {
  return `${country ?? ''}\u0000${region ?? ''}`;
}

export function placeOf(key: string): { country: string; region: string } {
  const [country, region] = key.split('\u0000');
  return { country, region };
}

function add(into: Map<string, SegmentDelta>, key: string, sign: 1 | -1, t: CustomerTotals): void {
  const d = into.get(key) ?? { key, customers: 0, orders: 0, lifetimeValue: 0 };
  d.customers += sign;
  d.orders += sign * t.orders;
  d.lifetimeValue += sign * (t.revenue - t.refunds);
  into.set(key, d);
}

const SEGMENT_KEYS: Record<keyof SegmentDeltas, (t: CustomerTotals) => string[]> = {
  cohorts: (t) => [`hour|${hourOf(t.firstOrderAt).toISOString()}`, `day|${floorDay(t.firstOrderAt).toISOString()}`],
  geography: (t) => [placeKey(t.country, t.region)],
  recency: (t) => [floorDay(t.lastOrderAt).toISOString()],
};

/**
 * The change to the three customer rollups when a customer's totals go from `before` to `after`
 * (null: not a customer in that currency): minus the old row's contribution, plus the new one's,
 * merged per key, changes that cancel out dropped, keys sorted (rows are locked in one order).
 */
export function segmentDeltas(before: CustomerTotals | null, after: CustomerTotals | null): SegmentDeltas {
  const out = {} as SegmentDeltas;
  for (const name of ['cohorts', 'geography', 'recency'] as const) {
    const merged = new Map<string, SegmentDelta>();
    for (const key of before ? SEGMENT_KEYS[name](before) : []) add(merged, key, -1, before!);
    for (const key of after ? SEGMENT_KEYS[name](after) : []) add(merged, key, 1, after!);
    out[name] = [...merged.values()]
      .filter((d) => d.customers !== 0 || d.orders !== 0 || d.lifetimeValue !== 0)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return out;
}

/**
 * The customer's totals after a newly counted order, or null when they cannot be told from the
 * stored row alone: an order placed at the same instant as the latest one (which address is the
 * latest then depends on the order ids), or no stored row while other orders count.
 */
export function totalsWithOrder(stored: CustomerTotals | null, fact: OrderFact): CustomerTotals | null {
  if (!stored) {
    return { orders: 1, revenue: fact.total, refunds: fact.refunded, firstOrderAt: fact.placedAt, lastOrderAt: fact.placedAt, country: fact.country, region: fact.region };
  }
  if (fact.placedAt.getTime() === stored.lastOrderAt.getTime()) return null;
  const latest = fact.placedAt > stored.lastOrderAt;
  return {
    orders: stored.orders + 1,
    revenue: stored.revenue + fact.total,
    refunds: stored.refunds + fact.refunded,
    firstOrderAt: fact.placedAt < stored.firstOrderAt ? fact.placedAt : stored.firstOrderAt,
    lastOrderAt: latest ? fact.placedAt : stored.lastOrderAt,
    country: latest ? fact.country : stored.country,
    region: latest ? fact.region : stored.region,
  };
}

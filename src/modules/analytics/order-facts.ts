import { allocateMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';

/** One order line as analytics keeps it: product, quantity, line total and its share of the order's refund. */
export interface FactLine {
  product_id: string;
  quantity: number;
  line_total: number;
  refund: number;
}

/** What one order contributes to the reports (the row of analytics_order_facts, without its version). */
export interface OrderFact {
  orderId: string;
  customerId: string;
  currency: string;
  placedAt: Date;
  placedHour: Date;
  counted: boolean;
  total: number;
  refunded: number;
  units: number;
  country: string | null;
  region: string | null;
  lines: FactLine[];
}

const HOUR_MS = 3_600_000;

/**
 * The fact of an order snapshot (an order event's payload, or an order read for a rebuild). A
 * cancelled order stops counting in revenue, orders, units and refunds. The order's refund is
 * shared among its lines in proportion to their totals (largest remainder, so the shares add up
 * to the refund exactly) for the per-product figures.
 */
export function factOf(order: Schemas['Order']): OrderFact {
  const placedAt = new Date(order.created_at);
  const shares = allocateMinor(order.amount_refunded, order.items.map((l) => l.line_total));
  return {
    orderId: order.id,
    customerId: order.customer_id,
    currency: order.currency,
    placedAt,
    placedHour: new Date(Math.floor(placedAt.getTime() / HOUR_MS) * HOUR_MS),
    counted: order.status !== 'cancelled',
    total: order.total,
    refunded: order.amount_refunded,
    units: order.items.reduce((sum, l) => sum + l.quantity, 0),
    country: order.shipping_address?.country ?? null,
    region: order.shipping_address?.region ?? null,
    lines: order.items.map((l, i) => ({ product_id: l.product_id, quantity: l.quantity, line_total: l.line_total, refund: shares[i] })),
  };
}

/** True when a write at (at, eventId) is newer than the stored version: later order state, or the same state from a later event. */
export function isNewerVersion(stored: { at: Date; event: string } | null, at: Date, eventId: string): boolean {
  if (!stored) return true;
  if (at.getTime() !== stored.at.getTime()) return at.getTime() > stored.at.getTime();
  return eventId > stored.event;
}

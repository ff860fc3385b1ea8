/**
 * The order state machine as data. `TRANSITIONS[from]` lists where an order may go next; a
 * transition's side effects (stock, refunds, events) are looked up in `EFFECTS`, never coded as
 * branches on pairs of states elsewhere.
 *
 *   pending → confirmed → processing → shipped → delivered
 *      └──────────┴────────────┴──→ cancelled
 *   refunded: from any state but itself, once money was captured (payment_status paid or
 *   partially_refunded) — the guard `requiresCapturedPayment`.
 */
export const ORDER_STATUSES = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'refunded', 'partially_refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const FULFILLMENT_STATUSES = ['unfulfilled', 'partial', 'fulfilled'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** What the order's reservation is doing: held, turned into a sale (shipped), or given back. */
export type StockState = 'reserved' | 'committed' | 'released';

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['confirmed', 'cancelled', 'refunded'],
  confirmed: ['processing', 'cancelled', 'refunded'],
  processing: ['shipped', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['refunded'],
  cancelled: ['refunded'],
  refunded: [],
};

/** Statuses `POST /orders/{id}/cancel` accepts (the same as the map's edges into `cancelled`). */
export const CANCELLABLE: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => TRANSITIONS[s].includes('cancelled'));

/** What entering a status does, besides recording it. */
export interface TransitionEffect {
  /** Stock: commit the reservation (units leave on_hand) or release it (if still reserved). */
  stock?: 'commit' | 'release';
  /** Refund what is still captured on the order. */
  refund?: boolean;
  /** The order becomes fulfilled (and `order.fulfilled` is recorded). */
  fulfil?: boolean;
  /** Only allowed once money was captured. */
  requiresCapturedPayment?: boolean;
  /** The event recorded for the transition (always besides nothing else). */
  event: 'order.updated' | 'order.cancelled' | 'order.fulfilled' | 'order.refunded';
}

export const EFFECTS: Readonly<Record<OrderStatus, TransitionEffect>> = {
  pending: { event: 'order.updated' },
  confirmed: { event: 'order.updated' },
  processing: { event: 'order.updated' },
  shipped: { stock: 'commit', event: 'order.updated' },
  delivered: { fulfil: true, event: 'order.fulfilled' },
  cancelled: { stock: 'release', event: 'order.cancelled' },
  refunded: { stock: 'release', refund: true, requiresCapturedPayment: true, event: 'order.refunded' },
};

export function allowedNext(from: OrderStatus): readonly OrderStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The payment status of an order from the money captured and refunded on it. */
export function paymentStatusFor(
  total: number,
  summary: { captured: number; refunded: number; lastAttempt: string | null },
): PaymentStatus {
  const { captured, refunded } = summary;
  if (captured > 0 && refunded >= captured) return 'refunded';
  if (refunded > 0) return 'partially_refunded';
  if (captured > 0 && captured >= total) return 'paid';
  if (captured === 0 && summary.lastAttempt === 'failed') return 'failed';
  return 'pending';
}

/** Money was captured and not all of it given back: the guard of `refunded`. */
export function hasCapturedPayment(order: { amountPaid: number; amountRefunded: number }): boolean {
  return order.amountPaid > order.amountRefunded;
}

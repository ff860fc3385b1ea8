import type { OrderFact } from './order-facts';

/** What one order adds to the hourly rollup rows (negated, what it takes away). */
export interface HourlyDelta {
  sales: { orders: number; revenue: number; units: number; refunds: number; cancelled: number };
  region: { country: string; region: string };
  products: { productId: string; orders: number; revenue: number; units: number; refunds: number; refundedOrders: number }[];
}

/** The order's contribution to its hour's rows: everything, when it counts; only `cancelled`, when cancelled. */
export function contributionOf(fact: OrderFact): HourlyDelta {
  const c = fact.counted ? 1 : 0;
  const byProduct = new Map<string, HourlyDelta['products'][number]>();
  for (const line of fact.lines) {
    const p = byProduct.get(line.product_id) ?? { productId: line.product_id, orders: c, revenue: 0, units: 0, refunds: 0, refundedOrders: c && fact.refunded > 0 ? 1 : 0 };
    p.revenue += c * line.line_total;
    p.units += c * line.quantity;
    p.refunds += c * line.refund;
    byProduct.set(line.product_id, p);
  }
  return {
    sales: { orders: c, revenue: c * fact.total, units: c * fact.units, refunds: c * fact.refunded, cancelled: 1 - c },
    region: { country: fact.country ?? '', region: fact.region ?? '' },
    products: [...byProduct.values()],
  };
}

/** `next − previous` for the same order (same hour, currency, region and products: an order's lines never change). */
export function differenceOf(next: HourlyDelta, previous: HourlyDelta | null): HourlyDelta {
  if (!previous) return next;
  const before = new Map(previous.products.map((p) => [p.productId, p]));
  return {
    sales: {
      orders: next.sales.orders - previous.sales.orders,
      revenue: next.sales.revenue - previous.sales.revenue,
      units: next.sales.units - previous.sales.units,
      refunds: next.sales.refunds - previous.sales.refunds,
      cancelled: next.sales.cancelled - previous.sales.cancelled,
    },
    region: next.region,
    products: next.products.map((p) => {
      const b = before.get(p.productId);
      return b
        ? { productId: p.productId, orders: p.orders - b.orders, revenue: p.revenue - b.revenue, units: p.units - b.units, refunds: p.refunds - b.refunds, refundedOrders: p.refundedOrders - b.refundedOrders }
        : p;
    }),
  };
}

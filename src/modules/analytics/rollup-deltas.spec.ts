import type { Schemas } from '../../platform/openapi/schemas';
import { factOf } from './order-facts';
import { contributionOf, differenceOf } from './rollup-deltas';

const order = (over: Record<string, unknown> = {}) => factOf({
  id: 'ord_1', customer_id: 'cus_1', status: 'confirmed', currency: 'usd', total: 1000, amount_refunded: 0,
  created_at: '2026-03-08T06:59:59.999Z', updated_at: '2026-03-08T07:00:00.000Z', shipping_address: { country: 'US', region: null },
  items: [{ product_id: 'prod_a', quantity: 1, line_total: 400 }, { product_id: 'prod_a', quantity: 2, line_total: 600 }],
  ...over,
} as unknown as Schemas['Order']);

describe('rollup deltas', () => {
  it('a new order adds itself; two lines of one product count as one order of it', () => {
    const d = differenceOf(contributionOf(order()), null);
    expect(d.sales).toEqual({ orders: 1, revenue: 1000, units: 3, refunds: 0, cancelled: 0 });
    expect(d.region).toEqual({ country: 'US', region: '' });
    expect(d.products).toEqual([{ productId: 'prod_a', orders: 1, revenue: 1000, units: 3, refunds: 0, refundedOrders: 0 }]);
  });

  it('a partial refund adds only the refund; a cancellation takes the order out and counts it as cancelled', () => {
    const placed = contributionOf(order());
    const refunded = contributionOf(order({ amount_refunded: 300 }));
    expect(differenceOf(refunded, placed).sales).toEqual({ orders: 0, revenue: 0, units: 0, refunds: 300, cancelled: 0 });
    expect(differenceOf(refunded, placed).products[0]).toMatchObject({ orders: 0, refunds: 300, refundedOrders: 1 });
    const cancelled = contributionOf(order({ status: 'cancelled', amount_refunded: 300 }));
    expect(differenceOf(cancelled, refunded).sales).toEqual({ orders: -1, revenue: -1000, units: -3, refunds: -300, cancelled: 1 });
  });
});

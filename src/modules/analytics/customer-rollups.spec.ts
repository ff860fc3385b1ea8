import { placeKey, segmentDeltas, totalsWithOrder, type CustomerTotals } from './customer-rollups';
import { factOf } from './order-facts';

const fact = (createdAt: string, over: Record<string, unknown> = {}) => factOf({
  id: 'ord_2', customer_id: 'cus_1', status: 'confirmed', currency: 'usd', total: 1000, amount_refunded: 100,
  created_at: createdAt, updated_at: createdAt, shipping_address: { country: 'DE', region: 'BE' }, items: [],
  ...over,
} as never);

const stored: CustomerTotals = {
  orders: 2, revenue: 5000, refunds: 0, firstOrderAt: new Date('2026-01-10T08:30:00.000Z'), lastOrderAt: new Date('2026-03-01T12:00:00.000Z'),
  country: 'US', region: 'NY',
};

describe('customer rollups', () => {
  it('a later order moves the customer to its address and hour; an earlier one only to its cohort', () => {
    expect(totalsWithOrder(stored, fact('2026-04-01T00:00:00.000Z'))).toEqual({
      orders: 3, revenue: 6000, refunds: 100, firstOrderAt: stored.firstOrderAt, lastOrderAt: new Date('2026-04-01T00:00:00.000Z'), country: 'DE', region: 'BE',
    });
    expect(totalsWithOrder(stored, fact('2025-12-24T00:00:00.000Z'))).toMatchObject({
      firstOrderAt: new Date('2025-12-24T00:00:00.000Z'), lastOrderAt: stored.lastOrderAt, country: 'US', region: 'NY',
    });
  });

  it('an order at the very instant of the latest one is left to a recomputation (the order ids decide the address)', () => {
    expect(totalsWithOrder(stored, fact('2026-03-01T12:00:00.000Z'))).toBeNull();
    expect(totalsWithOrder(null, fact('2026-03-01T12:00:00.000Z'))).toMatchObject({ orders: 1, revenue: 1000, refunds: 100 });
  });

  it('moving a customer takes their whole row from the old keys and adds it to the new ones', () => {
    const after = totalsWithOrder(stored, fact('2026-04-01T00:20:00.000Z'))!;
    const d = segmentDeltas(stored, after);
    expect(d.cohorts).toEqual([
      { key: 'day|2026-01-10T00:00:00.000Z', customers: 0, orders: 1, lifetimeValue: 900 },
      { key: 'hour|2026-01-10T08:00:00.000Z', customers: 0, orders: 1, lifetimeValue: 900 },
    ]);
    expect(d.geography).toEqual([
      { key: placeKey('DE', 'BE'), customers: 1, orders: 3, lifetimeValue: 5900 },
      { key: placeKey('US', 'NY'), customers: -1, orders: -2, lifetimeValue: -5000 },
    ]);
    expect(d.recency).toEqual([
      { key: '2026-03-01T00:00:00.000Z', customers: -1, orders: -2, lifetimeValue: -5000 },
      { key: '2026-04-01T00:00:00.000Z', customers: 1, orders: 3, lifetimeValue: 5900 },
    ]);
    expect(segmentDeltas(stored, stored)).toEqual({ cohorts: [], geography: [], recency: [] });
    expect(segmentDeltas(stored, null).geography).toEqual([{ key: placeKey('US', 'NY'), customers: -1, orders: -2, lifetimeValue: -5000 }]);
  });
});

import type { Schemas } from '../../platform/openapi/schemas';
import { factOf, isNewerVersion } from './order-facts';

const order = (over: Record<string, unknown> = {}) => ({
  id: 'ord_1', customer_id: 'cus_1', status: 'confirmed', currency: 'usd', total: 1000, amount_refunded: 0,
  created_at: '2026-03-08T06:59:59.999Z', updated_at: '2026-03-08T07:00:00.000Z',
  shipping_address: { country: 'US', region: 'NY' },
  items: [{ product_id: 'prod_a', quantity: 1, line_total: 333 }, { product_id: 'prod_b', quantity: 2, line_total: 667 }],
  ...over,
}) as unknown as Schemas['Order'];

describe('factOf', () => {
  it('keys the order to its UTC hour and counts units', () => {
    const fact = factOf(order());
    expect(fact.placedHour.toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(fact).toMatchObject({ counted: true, total: 1000, units: 3, country: 'US', region: 'NY' });
  });

  it('shares a partial refund among the lines in proportion, adding up exactly', () => {
    // 100 × 333/1000 = 33.3 and 100 × 667/1000 = 66.7: the larger remainder takes the spare unit.
    expect(factOf(order({ amount_refunded: 100 })).lines.map((l) => l.refund)).toEqual([33, 67]);
    const odd = factOf(order({ amount_refunded: 1 })).lines.map((l) => l.refund);
    expect(odd.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('stops counting a cancelled order', () => {
    expect(factOf(order({ status: 'cancelled' })).counted).toBe(false);
  });
});

describe('isNewerVersion', () => {
  const at = new Date('2026-01-01T00:00:00.000Z');
  it('applies the first write, a later order state, or the same state from a later event', () => {
    expect(isNewerVersion(null, at, 'evt_a')).toBe(true);
    expect(isNewerVersion({ at, event: 'evt_a' }, new Date(at.getTime() + 1), 'evt_0')).toBe(true);
    expect(isNewerVersion({ at, event: 'evt_a' }, at, 'evt_b')).toBe(true);
  });
  it('ignores a replay and an older state', () => {
    expect(isNewerVersion({ at, event: 'evt_a' }, at, 'evt_a')).toBe(false);
    expect(isNewerVersion({ at, event: 'evt_a' }, new Date(at.getTime() - 1), 'evt_z')).toBe(false);
    expect(isNewerVersion({ at, event: 'rebuild' }, at, 'evt_z')).toBe(false);
  });
});

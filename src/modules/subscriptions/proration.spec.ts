import { addMonthsAnchored, periodEnd, priceForCycle, prorate } from './proration';

const d = (iso: string) => new Date(iso);

describe('proration (hand-computed)', () => {
  it('monthly 30-day period, 3000 → 6000 after 10 days: credit 2000, charge 4000, net 2000', () => {
    // April has 30 days: period 2026-04-01 → 2026-05-01; the change happens on 2026-04-11 (10 days used).
    const p = prorate({
      periodStart: d('2026-04-01T00:00:00Z'), periodEnd: d('2026-05-01T00:00:00Z'), now: d('2026-04-11T00:00:00Z'),
      oldPrice: 3000, newPrice: 6000, cycleChanged: false,
    });
    expect(p).toEqual({ period_days: 30, used_days: 10, unused_days: 20, credit: 2000, charge: 4000, net: 2000 });
  });

  it('a started day counts as used, and a downgrade gives a negative net (kept as credit)', () => {
    // 31-day period (January), change 5 days and 1 hour in → 6 days used, 25 unused.
    // credit = 999 × 25/31 = 805.6 → 806; charge = 499 × 25/31 = 402.4 → 402; net = −404.
    const p = prorate({
      periodStart: d('2026-01-01T00:00:00Z'), periodEnd: d('2026-02-01T00:00:00Z'), now: d('2026-01-06T01:00:00Z'),
      oldPrice: 999, newPrice: 499, cycleChanged: false,
    });
    expect(p).toEqual({ period_days: 31, used_days: 6, unused_days: 25, credit: 806, charge: 402, net: -404 });
  });

  it('a cycle change credits the unused days and charges the whole new period', () => {
    // monthly 3000 (30 days) → yearly 30000 after 10 days: credit 2000, charge 30000, net 28000.
    const p = prorate({
      periodStart: d('2026-04-01T00:00:00Z'), periodEnd: d('2026-05-01T00:00:00Z'), now: d('2026-04-11T00:00:00Z'),
      oldPrice: 3000, newPrice: 30000, cycleChanged: true,
    });
    expect(p).toEqual({ period_days: 30, used_days: 10, unused_days: 20, credit: 2000, charge: 30000, net: 28000 });
  });

  it('prices a tier for another cycle by the ratio of months', () => {
    expect(priceForCycle(999, 'monthly', 'yearly')).toBe(11988);
    expect(priceForCycle(999, 'monthly', 'quarterly')).toBe(2997);
    expect(priceForCycle(1000, 'yearly', 'monthly')).toBe(83); // 83.33 → 83
    expect(priceForCycle(500, 'monthly', 'monthly')).toBe(500);
  });

  it('periods follow calendar months anchored on the start day', () => {
    expect(periodEnd(d('2026-01-31T10:00:00Z'), 'monthly').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonthsAnchored(d('2026-02-28T10:00:00Z'), 1, 31).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(periodEnd(d('2026-11-15T00:00:00Z'), 'quarterly').toISOString()).toBe('2027-02-15T00:00:00.000Z');
    expect(periodEnd(d('2024-02-29T00:00:00Z'), 'yearly').toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });
});

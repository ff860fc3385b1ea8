import { assertTiers, tierPrice, zoneFor } from './rate-table';

const service = {
  tiers: [
    { maxWeightGrams: 500, amount: 500 },
    { maxWeightGrams: 2000, amount: 900 },
    { maxWeightGrams: 5000, amount: 1500 },
  ],
  extraPerKg: 200,
};

describe('rate table', () => {
  it('prices by the first tier that holds the weight, then per started kg', () => {
    expect(tierPrice(service, 1)).toBe(500);
    expect(tierPrice(service, 500)).toBe(500);
    expect(tierPrice(service, 501)).toBe(900);
    expect(tierPrice(service, 5000)).toBe(1500);
    expect(tierPrice(service, 5001)).toBe(1700);
    expect(tierPrice(service, 6000)).toBe(1700);
    expect(tierPrice(service, 6001)).toBe(1900);
    expect(tierPrice({ ...service, extraPerKg: null }, 5001)).toBeNull();
  });

  it('never charges less for more weight', () => {
    let last = 0;
    for (let grams = 1; grams <= 20000; grams += 37) {
      const price = tierPrice(service, grams)!;
      expect(price).toBeGreaterThanOrEqual(last);
      last = price;
    }
  });

  it('refuses tiers that fall in price or do not grow in weight', () => {
    expect(() => assertTiers([{ maxWeightGrams: 500, amount: 900 }, { maxWeightGrams: 1000, amount: 800 }], 'tiers')).toThrow(/never costs less/);
    expect(() => assertTiers([{ maxWeightGrams: 500, amount: 900 }, { maxWeightGrams: 500, amount: 900 }], 'tiers')).toThrow(/greater/);
    expect(() => assertTiers(service.tiers, 'tiers')).not.toThrow();
  });

  it('prefers a zone naming the region, then the oldest naming the country', () => {
    const older = { id: 'a', countries: ['US'], regions: [], createdAt: new Date(1) };
    const newer = { id: 'b', countries: ['US'], regions: [], createdAt: new Date(2) };
    const west = { id: 'c', countries: [], regions: ['US-CA'], createdAt: new Date(3) };
    expect(zoneFor([newer, west, older], { country: 'US', region: 'CA' })?.id).toBe('c');
    expect(zoneFor([newer, west, older], { country: 'US', region: 'NY' })?.id).toBe('a');
    expect(zoneFor([newer, west, older], { country: 'US' })?.id).toBe('a');
    expect(zoneFor([newer, west, older], { country: 'GB' })).toBeNull();
  });
});

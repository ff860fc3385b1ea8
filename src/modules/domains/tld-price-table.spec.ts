import { mergePriceTables, priceTable, registrationPrice, renewalPrice, type TldPriceRow } from './tld-price-table';

const com: TldPriceRow = { tld: 'com', registrationAmount: 1200, renewalAmount: 1400, currency: 'usd', source: 'default', updatedAt: null };

describe('TLD prices', () => {
  it('registers the first year at the registration price and every further year at the renewal price', () => {
    expect(registrationPrice(com, 1)).toBe(1200);
    expect(registrationPrice(com, 3)).toBe(1200 + 2 * 1400);
    expect(renewalPrice(com, 2)).toBe(2800);
    const table = priceTable(com);
    expect(table).toHaveLength(10);
    expect(table[9]).toEqual({ years: 10, registration: 1200 + 9 * 1400, renewal: 14000 });
  });

  it('lets a tenant row win over the default and adds new TLDs, sorted', () => {
    const mine: TldPriceRow = { ...com, registrationAmount: 999, source: 'tenant' };
    const shop: TldPriceRow = { ...com, tld: 'shop', source: 'tenant' };
    expect(mergePriceTables([com, { ...com, tld: 'net' }], [shop, mine]).map((r) => [r.tld, r.registrationAmount, r.source])).toEqual([
      ['com', 999, 'tenant'], ['net', 1200, 'default'], ['shop', 1200, 'tenant'],
    ]);
  });
});

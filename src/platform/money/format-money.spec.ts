import { currencyExponent, formatMoney } from './format-money';

describe('formatMoney: one style for pages and e-mails, ISO 4217 digits', () => {
  it('USD has two decimals and English grouping', () => {
    expect(formatMoney(1999, 'usd')).toBe('19.99 USD');
    expect(formatMoney(123456789, 'usd')).toBe('1,234,567.89 USD');
    expect(formatMoney(0, 'usd')).toBe('0.00 USD');
    expect(formatMoney(5, 'eur')).toBe('0.05 EUR');
    expect(formatMoney(-1999, 'usd')).toBe('-19.99 USD');
    expect(formatMoney(-5, 'usd')).toBe('-0.05 USD');
  });

  it('JPY has no minor unit', () => {
    expect(formatMoney(500, 'jpy')).toBe('500 JPY');
    expect(formatMoney(1500, 'jpy')).toBe('1,500 JPY');
  });

  it('KWD has three decimals', () => {
    expect(formatMoney(1000, 'kwd')).toBe('1.000 KWD');
    expect(formatMoney(1234, 'kwd')).toBe('1.234 KWD');
  });

  it('MGA follows ISO 4217 (2 decimals), not CLDR display digits (0)', () => {
    expect(new Intl.NumberFormat('en', { style: 'currency', currency: 'MGA' }).resolvedOptions().maximumFractionDigits).toBe(0);
    expect(currencyExponent('mga')).toBe(2);
    expect(formatMoney(500, 'mga')).toBe('5.00 MGA');
  });

  it('stays exact at the edge of the safe-integer range', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'usd')).toBe('90,071,992,547,409.91 USD');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'kwd')).toBe('9,007,199,254,740.991 KWD');
  });

  it('accepts a well-formed code Intl does not know, with two decimals', () => {
    expect(formatMoney(1234, 'xyz')).toBe('12.34 XYZ');
  });

  it('refuses what is not money', () => {
    expect(() => formatMoney(1.5, 'usd')).toThrow(RangeError);
    expect(() => formatMoney(Number.MAX_SAFE_INTEGER + 2, 'usd')).toThrow(RangeError);
    expect(() => formatMoney(100, 'us')).toThrow(RangeError);
  });

  it('never shows fewer digits than Intl would: ISO only adds digits where CLDR rounds for display', () => {
    const differs: string[] = [];
    for (const code of Intl.supportedValuesOf('currency')) {
      const intlDigits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
      const isoDigits = currencyExponent(code);
      expect({ code, fewer: isoDigits < intlDigits }).toEqual({ code, fewer: false });
      if (isoDigits !== intlDigits) differs.push(code);
    }
    expect(differs).toEqual(expect.arrayContaining(['MGA', 'IQD', 'HUF', 'IDR']));
  });
});

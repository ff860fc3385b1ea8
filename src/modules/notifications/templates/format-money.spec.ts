import { formatMoney } from './format-money';

describe('formatMoney', () => {
  it('formats minor units with integer math', () => {
    expect(formatMoney(12345, 'usd')).toBe('123.45 USD');
    expect(formatMoney(5, 'eur')).toBe('0.05 EUR');
    expect(formatMoney(0, 'usd')).toBe('0.00 USD');
    expect(formatMoney(-1999, 'usd')).toBe('-19.99 USD');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'usd')).toBe('90071992547409.91 USD');
  });

  it('knows zero- and three-decimal currencies', () => {
    expect(formatMoney(1500, 'jpy')).toBe('1500 JPY');
    expect(formatMoney(1234, 'kwd')).toBe('1.234 KWD');
  });

  it('refuses non-integers and bad currencies', () => {
    expect(() => formatMoney(1.5, 'usd')).toThrow(RangeError);
    expect(() => formatMoney(100, 'us')).toThrow(RangeError);
  });
});

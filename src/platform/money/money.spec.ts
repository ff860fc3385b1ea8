import { ValidationError } from '../errors/domain-errors';
import { allocateMinor, assertMinorUnits, bigintMoney, isCurrency, multiplyMinor, prorateMinor, sumMinor } from './money';

describe('money', () => {
  it('sums and multiplies exactly', () => {
    expect(sumMinor([1999, 1, 100000])).toBe(102000);
    expect(multiplyMinor(1999, 3)).toBe(5997);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it('rejects fractional or non-numeric amounts', () => {
    expect(() => assertMinorUnits(19.99)).toThrow(ValidationError);
    expect(() => assertMinorUnits('100')).toThrow(ValidationError);
    expect(() => assertMinorUnits(100)).not.toThrow();
  });

  it('allocates so the parts add up to the total', () => {
    expect(allocateMinor(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateMinor(1000, [3000, 7000])).toEqual([300, 700]);
    const parts = allocateMinor(9999, [17, 23, 41, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(9999);
    expect(allocateMinor(5, [0, 0])).toEqual([0, 0]);
  });

  it('prorates with half-away-from-zero rounding', () => {
    expect(prorateMinor(3000, 15, 30)).toBe(1500);
    expect(prorateMinor(1000, 1, 3)).toBe(333);
    expect(prorateMinor(1000, 2, 3)).toBe(667);
    expect(prorateMinor(-1000, 2, 3)).toBe(-667);
  });

  it('validates currencies', () => {
    expect(isCurrency('usd')).toBe(true);
    expect(isCurrency('USD')).toBe(false);
    expect(isCurrency('us')).toBe(false);
  });

  it('maps bigint columns to safe numbers', () => {
    expect(bigintMoney.from('19999')).toBe(19999);
    expect(() => bigintMoney.from('9007199254740993')).toThrow(RangeError);
  });
});

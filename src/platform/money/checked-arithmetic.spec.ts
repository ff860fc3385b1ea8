import { ValidationError } from '../errors/domain-errors';
import { checkedAdd, checkedMultiply, checkedSum, INT4_RANGE, MONEY_RANGE } from './checked-arithmetic';

const MAX = Number.MAX_SAFE_INTEGER;

function issueOf(fn: () => unknown): { field?: string; details?: { field: string; message: string }[] } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('checked arithmetic', () => {
  it('multiplies exactly up to the limit and refuses one past it, naming the field', () => {
    expect(checkedMultiply(MAX, 1, 'items[0].quantity')).toBe(MAX);
    expect(checkedMultiply(3_002_399_751_580_330, 3, 'x')).toBe(9_007_199_254_740_990);
    const err = issueOf(() => checkedMultiply(MAX, 2, 'items[0].quantity'));
    expect(err.field).toBe('items[0].quantity');
    expect(err.details).toEqual([{ field: 'items[0].quantity', message: expect.stringContaining(String(MAX)) }]);
    // 2^53 + 1 would round to 2^53 in floating point; the check sees the exact product.
    expect(() => checkedMultiply(2 ** 52 + 1, 2, 'q')).toThrow(ValidationError);
  });

  it('sums exactly: intermediate totals past the limit are caught even when later values are negative', () => {
    expect(checkedSum([], 'items')).toBe(0);
    expect(checkedSum([MAX - 1, 1], 'items')).toBe(MAX);
    expect(issueOf(() => checkedSum([MAX, 1], 'items')).field).toBe('items');
    expect(checkedSum([MAX, 1, -2], 'items')).toBe(MAX - 1); // exact, not rounded on the way
    expect(issueOf(() => checkedSum([-MAX, -1], 'refunds')).field).toBe('refunds');
  });

  it('adds within a column range such as PostgreSQL integer', () => {
    expect(checkedAdd(2_000_000_000, 147_483_647, 'quantity', INT4_RANGE)).toBe(2_147_483_647);
    const err = issueOf(() => checkedAdd(2_000_000_000, 1_000_000_000, 'quantity', INT4_RANGE, 'the resulting on_hand'));
    expect(err.field).toBe('quantity');
    expect(err.details![0].message).toBe('the resulting on_hand exceeds the largest stock level (2147483647)');
    expect(issueOf(() => checkedAdd(-2_147_483_648, -1, 'quantity', INT4_RANGE)).field).toBe('quantity');
    expect(checkedAdd(MAX, -MAX, 'x', MONEY_RANGE)).toBe(0);
  });

  it('treats a non-integer operand as a programming error, not bad input', () => {
    expect(() => checkedMultiply(1.5, 2, 'q')).toThrow(RangeError);
    expect(() => checkedSum([Number.NaN], 'q')).toThrow(RangeError);
  });
});

import { ValidationError } from '../errors/domain-errors';

/**
 * Checked integer arithmetic for numbers that come from clients: quantities, prices, stock levels.
 * Each operation is computed exactly (BigInt) and compared with the target's range before any SQL
 * runs, so a value that a column or a JS number cannot hold exactly is a 422 naming the field the
 * client can change, never a database error (500) or a silently rounded amount.
 */
export interface IntegerRange {
  min: number;
  max: number;
  /** What the range is, for the message (e.g. "the largest exact amount"). */
  label: string;
}

/** Money columns are `bigint`, but amounts travel as JSON numbers: the safe-integer range binds first. */
export const MONEY_RANGE: IntegerRange = {
  min: Number.MIN_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
  label: `the largest exact amount (${Number.MAX_SAFE_INTEGER})`,
};

/** A PostgreSQL `integer` column (stock levels, quantities). */
export const INT4_RANGE: IntegerRange = { min: -2_147_483_648, max: 2_147_483_647, label: 'the largest stock level (2147483647)' };

function outOfRange(field: string, range: IntegerRange, what: string): ValidationError {
  return new ValidationError(`${field}: ${what} exceeds ${range.label}`, [{ field, message: `${what} exceeds ${range.label}` }]);
}

function checked(value: bigint, field: string, range: IntegerRange, what: string): number {
  if (value > BigInt(range.max) || value < BigInt(range.min)) throw outOfRange(field, range, what);
  return Number(value);
}

function exact(n: number, field: string): bigint {
  // Callers pass validated integers; a non-integer here is a programming error, not bad input.
  if (!Number.isSafeInteger(n)) throw new RangeError(`${field}: ${n} is not a safe integer`);
  return BigInt(n);
}

/** `a × b`, or 422 naming `field` when the product leaves `range`. */
export function checkedMultiply(a: number, b: number, field: string, range: IntegerRange = MONEY_RANGE, what = 'the line total'): number {
  return checked(exact(a, field) * exact(b, field), field, range, what);
}

/** `a + b`, or 422 naming `field` when the sum leaves `range`. */
export function checkedAdd(a: number, b: number, field: string, range: IntegerRange = MONEY_RANGE, what = 'the result'): number {
  return checked(exact(a, field) + exact(b, field), field, range, what);
}

/** The exact sum of `values`, or 422 naming `field` when it leaves `range` (intermediate sums are exact). */
export function checkedSum(values: readonly number[], field: string, range: IntegerRange = MONEY_RANGE, what = 'the total'): number {
  let total = 0n;
  for (const v of values) total += exact(v, field);
  return checked(total, field, range, what);
}

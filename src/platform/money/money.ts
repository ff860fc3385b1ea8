import { ValueTransformer } from 'typeorm';
import { ValidationError } from '../errors/domain-errors';

/** Amounts are integer minor units (19999 = 199.99) in a lower-case ISO 4217 currency. */
export type MinorUnits = number;

const CURRENCY = /^[a-z]{3}$/;

export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value);
}

export function assertMinorUnits(value: unknown, field = 'amount'): asserts value is MinorUnits {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ValidationError(`${field} must be an integer amount in minor units`, [
      { field, message: 'must be an integer number of minor units (e.g. 1999 for 19.99)' },
    ]);
  }
}

/** Exact sum; throws when the result would leave the safe-integer range rather than round. */
export function sumMinor(amounts: readonly MinorUnits[]): MinorUnits {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return toSafeNumber(total);
}

export function multiplyMinor(unitAmount: MinorUnits, quantity: number): MinorUnits {
  return toSafeNumber(BigInt(unitAmount) * BigInt(quantity));
}

/**
 * Splits `total` in proportion to `weights`, in integers, so the parts add up to `total` exactly
 * (largest-remainder method). Used for proration and for spreading partial refunds over lines.
 */
export function allocateMinor(total: MinorUnits, weights: readonly number[]): MinorUnits[] {
  const weightSum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (weightSum === 0n) return weights.map(() => 0);
  const big = BigInt(total);
  const parts = weights.map((w) => (big * BigInt(w)) / weightSum);
  const remainders = weights.map((w, i) => ({ i, r: (big * BigInt(w)) % weightSum }));
  let left = big - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map(toSafeNumber);
}

/** `amount × numerator / denominator`, rounded half away from zero, in integers. */
export function prorateMinor(amount: MinorUnits, numerator: number, denominator: number): MinorUnits {
  if (denominator <= 0) throw new RangeError('denominator must be positive');
  const n = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const q = n / d;
  const r = n % d;
  const abs = r < 0n ? -r : r;
  const roundAway = abs * 2n >= d ? (n < 0n ? -1n : 1n) : 0n;
  return toSafeNumber(q + roundAway);
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('amount outside the safe integer range');
  }
  return Number(value);
}

/** A PostgreSQL bigint as `pg` returns it (a string) → a safe JS integer; for rows read with plain SQL. */
export function fromBigintColumn(value: string): number {
  return toSafeNumber(BigInt(value));
}

/** TypeORM column transformer: PostgreSQL bigint (a string in `pg`) ⇄ a safe JS integer. */
export const bigintMoney: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : fromBigintColumn(value)),
};

import { ValidationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';

/** A package in whole grams and millimetres. */
export interface MeasuredPackage {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

/**
 * Exact factors as fractions (numerator / denominator) of a gram or a millimetre: the avoirdupois
 * pound is defined as 0.45359237 kg and the ounce as 1/16 lb, the inch as 25.4 mm, so every
 * conversion is an integer multiplication and one division.
 */
const GRAMS: Record<Schemas['WeightUnit'], [bigint, bigint]> = {
  g: [1n, 1n],
  kg: [1000n, 1n],
  lb: [45359237n, 100000n],
  oz: [28349523125n, 1000000000n],
};
const MILLIMETRES: Record<Schemas['DimensionUnit'], [bigint, bigint]> = {
  mm: [1n, 1n],
  cm: [10n, 1n],
  in: [254n, 10n],
};

const MAX_DECIMALS = 9;

/**
 * A JSON number as an exact decimal fraction: `2.2` is 22/10, never the binary float
 * 2.2000000000000001776…; JavaScript prints a number as the shortest decimal that reads back as
 * the same float, and that decimal is what the client wrote.
 */
export function decimalOf(value: number, field: string): [bigint, bigint] {
  const text = String(value);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!Number.isFinite(value) || value <= 0 || !m) {
    throw new ValidationError(`${field} must be a positive number with at most ${MAX_DECIMALS} decimal places`, [{ field, message: 'must be a positive decimal number' }]);
  }
  const decimals = m[2] ?? '';
  if (decimals.length > MAX_DECIMALS) {
    throw new ValidationError(`${field} has more than ${MAX_DECIMALS} decimal places`, [{ field, message: `at most ${MAX_DECIMALS} decimal places` }]);
  }
  return [BigInt(m[1] + decimals), 10n ** BigInt(decimals.length)];
}

/** ⌈a / b⌉ for positive bigints. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** Rounding rule: UP to the next whole gram or millimetre (a carrier bills every started unit, so a parcel is never declared lighter or smaller than it is). */
function convert(value: number, [num, den]: [bigint, bigint], field: string): number {
  const [n, d] = decimalOf(value, field);
  return Number(ceilDiv(n * num, d * den));
}

export function toGrams(value: number, unit: Schemas['WeightUnit'], field = 'weight'): number {
  return convert(value, GRAMS[unit], field);
}

export function toMillimetres(value: number, unit: Schemas['DimensionUnit'], field = 'length'): number {
  return convert(value, MILLIMETRES[unit], field);
}

export function measure(p: Schemas['PackageInput'], field: string): MeasuredPackage {
  return {
    weightGrams: toGrams(p.weight, p.weight_unit, `${field}.weight`),
    lengthMm: toMillimetres(p.length, p.dimension_unit, `${field}.length`),
    widthMm: toMillimetres(p.width, p.dimension_unit, `${field}.width`),
    heightMm: toMillimetres(p.height, p.dimension_unit, `${field}.height`),
  };
}

export function measureAll(packages: readonly Schemas['PackageInput'][], field = 'packages'): MeasuredPackage[] {
  return packages.map((p, i) => measure(p, `${field}[${i}]`));
}

/**
 * Dimensional weight in whole grams, rounded up: volume in mm³ over the divisor. A divisor in cm³
 * per kg is the same number in mm³ per g (both scale by 1000), so 5000 means 5000 cm³ count as 1 kg.
 */
export function dimensionalGrams(p: MeasuredPackage, divisor: number): number {
  return Number(ceilDiv(BigInt(p.lengthMm) * BigInt(p.widthMm) * BigInt(p.heightMm), BigInt(divisor)));
}

/** What a carrier bills a package on: the larger of its actual and dimensional weight. */
export function billableGrams(p: MeasuredPackage, divisor: number): number {
  return Math.max(p.weightGrams, dimensionalGrams(p, divisor));
}

export function toMeasuredPackage(p: MeasuredPackage): Schemas['MeasuredPackage'] {
  return { weight_grams: p.weightGrams, length_mm: p.lengthMm, width_mm: p.widthMm, height_mm: p.heightMm };
}

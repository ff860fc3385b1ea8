import { ValidateIf, registerDecorator, type ValidationOptions } from 'class-validator';

export const SKU = /^[A-Za-z0-9._-]{1,64}$/;
export const LABEL = /^[A-Za-z0-9._-]{1,64}$/;
export const CURRENCY = /^[a-z]{3}$/;
export const MAX_KEYS = 50;

/** Validates the field whenever it is sent, `null` included (for fields that cannot be cleared). */
export const IfPresent = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordRule(
  name: string,
  message: string,
  acceptsValue: (v: unknown) => boolean,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: {
        validate(value: unknown) {
          if (!isPlainObject(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= MAX_KEYS && entries.every(([k, v]) => k.length >= 1 && k.length <= 100 && acceptsValue(v));
        },
      },
    });
}

/** `metadata`: an object of at most 50 string values (≤ 500 characters each). */
export const IsMetadata = (options?: ValidationOptions) =>
  recordRule('isMetadata', '$property must be an object of at most 50 string values', (v) => typeof v === 'string' && v.length <= 500, options);

/** `attributes`: an object of at most 50 string, number or boolean values. */
export const IsAttributes = (options?: ValidationOptions) =>
  recordRule(
    'isAttributes',
    '$property must be an object of at most 50 string, number or boolean values',
    (v) => (typeof v === 'string' && v.length <= 500) || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean',
    options,
  );

import { Transform } from 'class-transformer';
import { isISO8601, isURL, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { isDeliverableEmail } from './email';
import { isLuhnValid } from './luhn';

/**
 * The few validators the DTO generator (scripts/generate-dtos.ts) needs beyond class-validator's
 * own: what the spec's keywords mean for a request, written once here and used by every DTO.
 */

/** An optional, non-nullable field: skipped when absent, validated (and so refused) when null. */
export const IfPresent = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

function rule(name: string, message: string, check: (value: unknown) => boolean, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({ name, target: target.constructor, propertyName, options: { message, ...options }, validator: { validate: check } });
}

/** `format: email`: the one e-mail rule of the platform (an address the mailer delivers as it is). */
export const IsEmailAddress = (options?: ValidationOptions) =>
  rule('isEmailAddress', '$property must be an e-mail address', (v) => typeof v === 'string' && isDeliverableEmail(v), options);

/** `format: uri`: an absolute http(s) URL, the only kind the API stores or calls. */
export const IsHttpUrl = (options?: ValidationOptions) =>
  rule('isHttpUrl', '$property must be an http or https URL', (v) => typeof v === 'string' && isURL(v, { require_protocol: true, protocols: ['http', 'https'], require_tld: false }), options);

/** `format: card-number`: 12–19 digits passing the Luhn check. The message never contains the number. */
export const IsCardNumber = (options?: ValidationOptions) =>
  rule('isCardNumber', '$property must be a card number of 12 to 19 digits that passes the Luhn check', (v) => typeof v === 'string' && /^\d{12,19}$/.test(v) && isLuhnValid(v), options);

/**
 * `format: date` / `date-time` (or a union of both): ISO 8601 that names a real calendar day and that
 * `new Date` reads (week and ordinal dates pass `isISO8601` but not `Date.parse`).
 */
export const IsIsoDate = (options?: ValidationOptions) =>
  rule('isIsoDate', '$property must be an ISO 8601 date or date-time', (v) => typeof v === 'string' && isISO8601(v, { strict: true }) && Number.isFinite(Date.parse(v)), options);

/** A value of one of several JSON types, e.g. `type: [string, number, boolean]`. */
export const IsScalarOf = (types: string[], options?: ValidationOptions) =>
  rule('isScalarOf', `$property must be a ${types.join(' or ')}`, (v) => types.some((t) => jsonTypeMatches(t, v)), options);

export interface SpecMapRule {
  maxProperties?: number;
  keyMinLength?: number;
  keyMaxLength?: number;
  keyPattern?: string;
  valueTypes: string[];
  valueMaxLength?: number;
}

/** An object used as a map (`additionalProperties` with a value schema): key count, key length and pattern, value type and length. */
export const IsSpecMap = (spec: SpecMapRule, options?: ValidationOptions) => {
  const keyPattern = spec.keyPattern === undefined ? undefined : new RegExp(spec.keyPattern);
  const limits = [
    spec.keyMaxLength !== undefined ? `keys ≤ ${spec.keyMaxLength}` : '',
    spec.valueMaxLength !== undefined ? `values ≤ ${spec.valueMaxLength} characters` : '',
  ].filter(Boolean);
  const message = `$property must be an object of ${spec.maxProperties !== undefined ? `at most ${spec.maxProperties} ` : ''}${spec.valueTypes.join(', ')} values${limits.length ? ` (${limits.join(', ')})` : ''}`;
  return rule('isSpecMap', message, (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    if (spec.maxProperties !== undefined && entries.length > spec.maxProperties) return false;
    return entries.every(
      ([key, v]) =>
        key.length >= (spec.keyMinLength ?? 1) &&
        (spec.keyMaxLength === undefined || key.length <= spec.keyMaxLength) &&
        (keyPattern === undefined || keyPattern.test(key)) &&
        (spec.valueTypes.length === 0 || spec.valueTypes.some((t) => jsonTypeMatches(t, v))) &&
        (spec.valueMaxLength === undefined || typeof v !== 'string' || v.length <= spec.valueMaxLength),
    );
  }, options);
};

function jsonTypeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false;
  }
}

/** A query-string number: digits become a number, anything else stays a string so `IsInt` names it. */
export const QueryNumber = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value === '' ? undefined : value));

/** A query-string boolean: `true`/`1` and `false`/`0`; anything else stays a string so `IsBoolean` names it. */
export const QueryBoolean = () =>
  Transform(({ value }) => {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return value === '' ? undefined : value;
  });

/** A query-string text: surrounding spaces dropped; empty counts as absent (`?status=` filters nothing). */
export const QueryText = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const text = value.trim();
    return text === '' ? undefined : text;
  });

/** A comma-separated query-string list (`style: form, explode: false`): `tags=a, b,,c` → `['a', 'b', 'c']`. */
export const QueryList = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
    return items.length === 0 ? undefined : items;
  });

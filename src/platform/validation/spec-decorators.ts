import { Transform } from 'class-transformer';
import { isURL, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { isDeliverableEmail } from './email';

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

/** A value of one of several JSON types, e.g. `type: [string, number, boolean]`. */
export const IsScalarOf = (types: string[], options?: ValidationOptions) =>
  rule('isScalarOf', `$property must be a ${types.join(' or ')}`, (v) => types.some((t) => jsonTypeMatches(t, v)), options);

export interface SpecMapRule {
  maxProperties?: number;
  keyMaxLength?: number;
  valueTypes: string[];
  valueMaxLength?: number;
}

/** An object used as a map (`additionalProperties` with a value schema): key count, key length and value type. */
export const IsSpecMap = (spec: SpecMapRule, options?: ValidationOptions) => {
  const limits = [spec.maxProperties !== undefined ? `at most ${spec.maxProperties} keys` : '', spec.valueTypes.join(' or ') + ' values']
    .filter(Boolean)
    .join(', ');
  return rule('isSpecMap', `$property must be an object with ${limits}`, (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value);
    if (spec.maxProperties !== undefined && entries.length > spec.maxProperties) return false;
    return entries.every(
      ([key, v]) =>
        key.length >= 1 &&
        (spec.keyMaxLength === undefined || key.length <= spec.keyMaxLength) &&
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

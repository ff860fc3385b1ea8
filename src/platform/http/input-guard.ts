import { InvalidRequestError, NotFoundError, ValidationError } from '../errors/domain-errors';

/** Deeper than any request body of the contract; far below what would exhaust a recursive validator. */
export const MAX_JSON_DEPTH = 32;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type InputSource = 'body' | 'query' | 'params';

/**
 * Why a string cannot be stored: PostgreSQL `text` refuses NUL, and a lone UTF-16 surrogate has no
 * UTF-8 encoding, so both would fail deep inside a query as a 500. Undefined when the string is fine.
 */
export function unstorableTextReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone surrogates)';
  return undefined;
}

function join(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * Refuses, in one place for every route, the input no field validator should have to think about:
 * nesting deeper than MAX_JSON_DEPTH (400), and strings with NUL or lone surrogates — 422 naming the
 * field for bodies and query parameters, 404 for a path parameter (a malformed id is not found).
 * Object keys are checked like values. The walk stops at the depth limit, so it cannot overflow the stack.
 */
export function assertStorableInput(source: InputSource, value: unknown): void {
  walk(source, value, '', 0);
}

function walk(source: InputSource, value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    if (reason) refuse(source, path, reason);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) {
    throw new InvalidRequestError(`The request ${source} is nested more than ${MAX_JSON_DEPTH} levels deep`, source);
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(source, item, join(path, index), depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyReason = unstorableTextReason(key);
    if (keyReason) refuse(source, path || source, `has a field name that ${keyReason}`);
    walk(source, item, join(path, key), depth + 1);
  }
}

function refuse(source: InputSource, field: string, reason: string): never {
  if (source === 'params') throw new NotFoundError('Resource');
  const name = field || source;
  throw new ValidationError(`${name}: ${reason}`, [{ field: name, message: reason }], name);
}

import { InvalidRequestError } from '../errors/domain-errors';

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 200;

export type SortOrder = 'asc' | 'desc';

/** The position after the last row of a page: its sort value and id, plus the sort it belongs to. */
export interface Cursor {
  sort: string;
  order: SortOrder;
  value: string | number;
  id: string;
}

export type PageQuery =
  | { kind: 'offset'; page: number; perPage: number }
  | { kind: 'cursor'; perPage: number; cursor: Cursor };

function intParam(raw: unknown, name: string, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const text = String(raw);
  if (!/^\d+$/.test(text)) throw new InvalidRequestError(`${name} must be an integer between ${min} and ${max}`, name);
  const n = Number(text);
  if (n < min || n > max) throw new InvalidRequestError(`${name} must be an integer between ${min} and ${max}`, name);
  return n;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.value, c.id])).toString('base64url');
}

/** Longer than any cursor this API hands out (sort values are ids, names, e-mails, timestamps, amounts). */
const MAX_CURSOR_LENGTH = 2048;
const MAX_CURSOR_TEXT = 1000;
/** PostgreSQL refuses NUL in text; ids and sort names never hold any control character. */
const NUL = /\u0000/;
const CONTROL = /[\u0000-\u001f]/;

function isCursorText(value: unknown, max: number, forbidden = CONTROL): value is string {
  return typeof value === 'string' && value.length <= max && !forbidden.test(value);
}

export function invalidCursor(why = 'cursor is not a cursor this API returned'): InvalidRequestError {
  return new InvalidRequestError(why, 'cursor');
}

/**
 * The shape of a cursor this API could have returned, checked before it goes near SQL: a tampered
 * one → 400 naming `cursor`. Whether the value fits the sort column is checked by `paginate`.
 */
export function decodeCursor(raw: string): Cursor {
  if (raw.length > MAX_CURSOR_LENGTH) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) throw invalidCursor();
  const [sort, order, value, id] = parsed as unknown[];
  if (isCursorText(sort, 100) && (order === 'asc' || order === 'desc') && isCursorText(id, 200) && id.length > 0 &&
      (isCursorText(value, MAX_CURSOR_TEXT, NUL) || Number.isSafeInteger(value))) {
    return { sort, order, value: value as string | number, id };
  }
  throw invalidCursor();
}

/** Reads `page`, `per_page` (alias `limit`) and `cursor` from a query string; out of range → 400. */
export function parsePageQuery(query: Record<string, unknown>): PageQuery {
  const perPage =
    intParam(query.per_page, 'per_page', 1, MAX_PER_PAGE) ?? intParam(query.limit, 'limit', 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE;
  if (query.cursor !== undefined && query.cursor !== '') {
    if (query.page !== undefined) throw new InvalidRequestError('page cannot be combined with cursor', 'page');
    return { kind: 'cursor', perPage, cursor: decodeCursor(String(query.cursor)) };
  }
  const page = intParam(query.page, 'page', 1, 1_000_000) ?? 1;
  return { kind: 'offset', page, perPage };
}

/** Reads `sort` and `order` against a route's whitelist; an unknown field or order → 400 naming it. */
export function parseSort<F extends string>(
  query: Record<string, unknown>,
  allowed: readonly F[],
  fallback: { sort: F; order: SortOrder },
): { sort: F; order: SortOrder } {
  const sort = (query.sort ?? fallback.sort) as F;
  if (!allowed.includes(sort)) {
    throw new InvalidRequestError(`sort must be one of: ${allowed.join(', ')}`, 'sort');
  }
  const order = query.order ?? (query.sort === undefined ? fallback.order : 'asc');
  if (order !== 'asc' && order !== 'desc') throw new InvalidRequestError('order must be asc or desc', 'order');
  return { sort, order };
}

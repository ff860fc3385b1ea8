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

export function decodeCursor(raw: string): Cursor {
  try {
    const [sort, order, value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof sort === 'string' && (order === 'asc' || order === 'desc') && typeof id === 'string' &&
        (typeof value === 'string' || typeof value === 'number')) {
      return { sort, order, value, id };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidRequestError('cursor is not a cursor this API returned', 'cursor');
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

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

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.sort, c.order, c.value, c.id])).toString('base64url');
}

/** Longer than any cursor this API hands out (sort values are ids, names, e-mails, timestamps, amounts). */
const MAX_CURSOR_LENGTH = 2048;
const MAX_CURSOR_TEXT = 1000;
/** PostgreSQL refuses NUL in text; ids and sort names never hold any control character. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NUL = /\u0000/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
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

/**
 * The paging parameters of a list route as its query DTO (generated from the spec's `Page`, `PerPage`,
 * `Limit` and `Cursor` parameters) has already typed and range-checked them.
 */
export interface PagingParams {
  page?: number;
  per_page?: number;
  limit?: number;
  page_size?: number;
  pageSize?: number;
  cursor?: string;
}

/** `per_page` and its aliases (`limit`, `page_size`, `pageSize`): any of them, but never two that disagree (400). */
function perPageOf(params: PagingParams): number {
  const given = (['per_page', 'limit', 'page_size', 'pageSize'] as const).filter((name) => params[name] !== undefined);
  const values = new Set(given.map((name) => params[name]));
  if (values.size > 1) throw new InvalidRequestError(`${given.join(', ')} are aliases of per_page and must agree`, given[1]);
  return given.length > 0 ? (params[given[0]] as number) : DEFAULT_PER_PAGE;
}

/** Offset paging by default; keyset paging from a `cursor` (which may not be combined with `page` → 400). */
export function pageQueryOf(params: PagingParams): PageQuery {
  const perPage = perPageOf(params);
  if (params.cursor !== undefined) {
    if (params.page !== undefined) throw new InvalidRequestError('page cannot be combined with cursor', 'page');
    return { kind: 'cursor', perPage, cursor: decodeCursor(params.cursor) };
  }
  return { kind: 'offset', page: params.page ?? 1, perPage };
}

/**
 * The sort of a list: the route's default, or the field the client chose (validated against the
 * route's enum in the spec), ascending unless `order` says otherwise.
 */
export function sortOf<F extends string>(params: { sort?: F; order?: SortOrder }, fallback: { sort: F; order: SortOrder }): { sort: F; order: SortOrder } {
  const sort = params.sort ?? fallback.sort;
  const order = params.order ?? (params.sort === undefined ? fallback.order : 'asc');
  return { sort, order };
}

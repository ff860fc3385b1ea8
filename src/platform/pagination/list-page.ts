import { InvalidRequestError } from '../errors/domain-errors';
import { Page } from './page';
import { encodeCursor, type PageQuery } from './page-query';

/** How a small in-memory list is ordered: ascending by `valueOf`, ties broken by `idOf`. */
export interface ListKey<T> {
  /** The name recorded in the cursor (`name`, `price`). */
  sort: string;
  valueOf: (item: T) => string | number;
  idOf: (item: T) => string;
}

type Key = [string | number, string];

/** Numbers numerically, strings by UTF-16 code unit: one order for sorting and for seeking past a cursor. */
function compare(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/**
 * Pages a small list that is read whole (categories, a product's tiers) with the same meta and both
 * paging modes every list route has. Cursor mode seeks past (value, id) in the list's own order, so a
 * row added or removed between two pages neither repeats nor skips another.
 */
export function pageOfList<T>(all: readonly T[], pageQuery: PageQuery, key: ListKey<T>): Page<T> {
  const keyOf = (item: T): Key => [key.valueOf(item), key.idOf(item)];
  const sorted = [...all].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const perPage = pageQuery.perPage;
  const cursorAfter = (item: T) => encodeCursor({ sort: key.sort, order: 'asc', value: key.valueOf(item), id: key.idOf(item) });
  if (pageQuery.kind === 'cursor') {
    const { cursor } = pageQuery;
    const sample = sorted[0] === undefined ? undefined : key.valueOf(sorted[0]);
    if (cursor.sort !== key.sort || cursor.order !== 'asc' || (sample !== undefined && typeof cursor.value !== typeof sample)) {
      throw new InvalidRequestError('cursor does not fit this list; pass a next_cursor this route returned', 'cursor');
    }
    const start = sorted.findIndex((item) => compare(keyOf(item), [cursor.value, cursor.id]) > 0);
    const rest = start < 0 ? [] : sorted.slice(start);
    const items = rest.slice(0, perPage);
    const hasMore = rest.length > perPage;
    return new Page(items, {
      per_page: perPage,
      has_next: hasMore,
      has_previous: true,
      has_more: hasMore,
      next_cursor: hasMore ? cursorAfter(items[items.length - 1]) : null,
    });
  }
  const items = sorted.slice((pageQuery.page - 1) * perPage, pageQuery.page * perPage);
  const totalPages = Math.ceil(sorted.length / perPage);
  const hasNext = pageQuery.page < totalPages;
  return new Page(items, {
    page: pageQuery.page,
    per_page: perPage,
    total: sorted.length,
    total_pages: totalPages,
    has_next: hasNext,
    has_previous: pageQuery.page > 1,
    has_more: hasNext,
    next_cursor: hasNext && items.length > 0 ? cursorAfter(items[items.length - 1]) : null,
  });
}

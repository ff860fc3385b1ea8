import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { InvalidRequestError } from '../errors/domain-errors';
import { Page } from './page';
import { assertCursorFitsColumn } from './cursor-column';
import { encodeCursor, type Cursor, type PageQuery, type SortOrder } from './page-query';

export interface SortSpec<E> {
  /** The name the client used (`created_at`), recorded in the cursor. */
  name: string;
  /** The SQL expression to order by, e.g. `p.created_at`. Must be NOT NULL. */
  column: string;
  /** The id column that breaks ties, e.g. `p.id`. */
  idColumn: string;
  order: SortOrder;
  /** Reads the sort value and id back from a row, to build the next cursor. */
  valueOf: (row: E) => string | number | Date;
  idOf: (row: E) => string;
}

/**
 * Runs a list query in either paging mode. Offset mode counts and skips; cursor mode seeks past
 * (sort value, id) so its cost stays flat however deep the page. Both hand out `next_cursor`.
 */
export async function paginate<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  pageQuery: PageQuery,
  sort: SortSpec<E>,
): Promise<Page<E>> {
  const dir = sort.order === 'asc' ? 'ASC' : 'DESC';
  const perPage = pageQuery.perPage;

  if (pageQuery.kind === 'cursor') {
    const { cursor } = pageQuery;
    assertCursorOfSort(cursor, sort);
    assertCursorFitsColumn(qb, sort.column, cursor.value);
    const op = sort.order === 'asc' ? '>' : '<';
    qb.andWhere(`(${sort.column}, ${sort.idColumn}) ${op} (:cursorValue, :cursorId)`, {
      cursorValue: cursor.value,
      cursorId: cursor.id,
    });
    const rows = await qb.orderBy(sort.column, dir).addOrderBy(sort.idColumn, dir).take(perPage + 1).getMany();
    return cursorPage(rows, perPage, sort);
  }

  const total = await qb.clone().getCount();
  const items = await qb
    .orderBy(sort.column, dir)
    .addOrderBy(sort.idColumn, dir)
    .skip((pageQuery.page - 1) * perPage)
    .take(perPage)
    .getMany();
  return offsetPage(items, total, pageQuery.page, perPage, sort);
}

/** What a next cursor is made of: the sort's name and order, and a row's sort value and id. */
export type CursorKey<E> = Pick<SortSpec<E>, 'name' | 'order' | 'valueOf' | 'idOf'>;

/** A cursor is only valid for the sort and order that handed it out (else 400 naming `cursor`). */
export function assertCursorOfSort(cursor: Cursor, sort: Pick<CursorKey<unknown>, 'name' | 'order'>): void {
  if (cursor.sort !== sort.name || cursor.order !== sort.order) {
    throw new InvalidRequestError('cursor belongs to a different sort or order; pass the same sort and order', 'cursor');
  }
}

/** A keyset page from up to `perPage + 1` rows (the extra one only says that more follow). */
export function cursorPage<E>(rows: E[], perPage: number, sort: CursorKey<E>): Page<E> {
  const hasMore = rows.length > perPage;
  const items = rows.slice(0, perPage);
  return new Page(items, {
    per_page: perPage,
    has_next: hasMore,
    has_previous: true,
    has_more: hasMore,
    next_cursor: hasMore ? cursorAfter(items[items.length - 1], sort) : null,
  });
}

/** An offset page of `total` rows in all. */
export function offsetPage<E>(items: E[], total: number, page: number, perPage: number, sort: CursorKey<E>): Page<E> {
  const totalPages = Math.ceil(total / perPage);
  const hasNext = page < totalPages;
  return new Page(items, {
    page,
    per_page: perPage,
    total,
    total_pages: totalPages,
    has_next: hasNext,
    has_previous: page > 1,
    has_more: hasNext,
    next_cursor: hasNext && items.length > 0 ? cursorAfter(items[items.length - 1], sort) : null,
  });
}

function cursorAfter<E>(row: E, sort: CursorKey<E>): string {
  const raw = sort.valueOf(row);
  const value = raw instanceof Date ? raw.toISOString() : raw;
  return encodeCursor({ sort: sort.name, order: sort.order, value, id: sort.idOf(row) });
}

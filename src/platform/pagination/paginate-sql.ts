import { assertCursorFitsKind, type ValueKind } from './cursor-column';
import type { Page } from './page';
import type { PageQuery } from './page-query';
import { assertCursorOfSort, cursorPage, offsetPage, type CursorKey } from './paginate';

/** One statement through the repository's scoped manager (`manager.query`). */
export type RunSql = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/** A list read with plain SQL: what it selects, and from where. */
export interface SqlList {
  /** The select list of a page, e.g. `p.id, p.name, …`. */
  columns: string;
  /**
   * `FROM … WHERE …` with `$1…$n` for `params`, ending in a WHERE clause (the keyset condition is
   * ANDed to it); like every query it names the tenant and mode.
   */
  fromWhere: string;
  params: unknown[];
}

export interface SqlSortSpec<E> extends CursorKey<E> {
  /** The SQL expression to order by, e.g. `p.created_at`. Must be NOT NULL. */
  column: string;
  /** What the column holds: a cursor's value must be of this kind (else 400, never a 500 from the database). */
  kind: ValueKind;
  /** The id column that breaks ties, e.g. `p.id`. */
  idColumn: string;
}

/**
 * `paginate` for a list read with plain SQL (a hot list route, where TypeORM's query building and
 * entity hydration cost more than the statement): the same statements — count + offset page, or
 * the keyset page of `perPage + 1` rows — the same cursor checks and the same meta.
 */
export async function paginateSql<R, E>(
  run: RunSql,
  list: SqlList,
  pageQuery: PageQuery,
  sort: SqlSortSpec<E>,
  toItem: (row: R) => E,
): Promise<Page<E>> {
  const dir = sort.order === 'asc' ? 'ASC' : 'DESC';
  const orderBy = `ORDER BY ${sort.column} ${dir}, ${sort.idColumn} ${dir}`;
  const perPage = pageQuery.perPage;

  if (pageQuery.kind === 'cursor') {
    const { cursor } = pageQuery;
    assertCursorOfSort(cursor, sort);
    assertCursorFitsKind(sort.kind, cursor.value);
    const op = sort.order === 'asc' ? '>' : '<';
    const n = list.params.length;
    const rows = await run<R>(
      `SELECT ${list.columns} ${list.fromWhere} AND (${sort.column}, ${sort.idColumn}) ${op} ($${n + 1}, $${n + 2}) ${orderBy} LIMIT ${limitOf(perPage + 1)}`,
      [...list.params, cursor.value, cursor.id],
    );
    return cursorPage(rows.map(toItem), perPage, sort);
  }

  const [{ count }] = await run<{ count: string }>(`SELECT count(*) AS count ${list.fromWhere}`, list.params);
  const rows = await run<R>(
    `SELECT ${list.columns} ${list.fromWhere} ${orderBy} LIMIT ${limitOf(perPage)} OFFSET ${limitOf((pageQuery.page - 1) * perPage)}`,
    list.params,
  );
  return offsetPage(rows.map(toItem), Number(count), pageQuery.page, perPage, sort);
}

/** LIMIT and OFFSET go into the text as literals (as TypeORM writes them): only ever a non-negative integer. */
function limitOf(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a row count: ${value}`);
  return value;
}

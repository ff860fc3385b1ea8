import { InvalidRequestError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor, type PageQuery } from './page-query';
import { paginateSql, type SqlSortSpec } from './paginate-sql';

interface Row {
  id: string;
  created_at: string;
}

const rows = (n: number, from = 0): Row[] =>
  Array.from({ length: n }, (_, i) => ({ id: `w_${from + i}`, created_at: `2026-01-01T00:00:${String(59 - from - i).padStart(2, '0')}.000Z` }));

/** A `run` that answers a count or a page, and records every statement it was given. */
function runner(total: number, page: Row[]) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const run = async <T>(sql: string, params: unknown[]): Promise<T[]> => {
    statements.push({ sql, params });
    return (sql.startsWith('SELECT count(*)') ? [{ count: String(total) }] : page) as T[];
  };
  return { run, statements };
}

const list = { columns: 'w.id, w.created_at', fromWhere: 'FROM widgets w WHERE w.tenant_id = $1 AND w.mode = $2', params: ['ten_a', 'live'] };
const sort: SqlSortSpec<Row> = {
  name: 'created_at', column: 'w.created_at', kind: 'timestamp', idColumn: 'w.id', order: 'desc',
  valueOf: (r) => r.created_at, idOf: (r) => r.id,
};

describe('paginateSql', () => {
  it('offset mode: counts, then reads the page ordered by the sort column and id, with a next cursor', async () => {
    const { run, statements } = runner(7, rows(3));
    const page = await paginateSql(run, list, { kind: 'offset', page: 2, perPage: 3 }, sort, (r: Row) => r);
    expect(statements).toEqual([
      { sql: 'SELECT count(*) AS count FROM widgets w WHERE w.tenant_id = $1 AND w.mode = $2', params: ['ten_a', 'live'] },
      {
        sql: 'SELECT w.id, w.created_at FROM widgets w WHERE w.tenant_id = $1 AND w.mode = $2 ORDER BY w.created_at DESC, w.id DESC LIMIT 3 OFFSET 3',
        params: ['ten_a', 'live'],
      },
    ]);
    expect(page.meta).toMatchObject({ page: 2, per_page: 3, total: 7, total_pages: 3, has_next: true, has_previous: true, has_more: true });
    expect(decodeCursor(page.meta.next_cursor!)).toEqual({ sort: 'created_at', order: 'desc', value: rows(3)[2].created_at, id: 'w_2' });
  });

  it('cursor mode: seeks past (value, id) with the next parameters and reads one row more than a page', async () => {
    const cursor = { sort: 'created_at', order: 'desc' as const, value: '2026-01-01T00:00:10.000Z', id: 'w_9' };
    const { run, statements } = runner(0, rows(3, 10));
    const page = await paginateSql(run, list, { kind: 'cursor', perPage: 2, cursor }, sort, (r: Row) => r);
    expect(statements).toEqual([{
      sql: 'SELECT w.id, w.created_at FROM widgets w WHERE w.tenant_id = $1 AND w.mode = $2 AND (w.created_at, w.id) < ($3, $4) ORDER BY w.created_at DESC, w.id DESC LIMIT 3',
      params: ['ten_a', 'live', cursor.value, 'w_9'],
    }]);
    expect(page.items.map((r) => r.id)).toEqual(['w_10', 'w_11']);
    expect(page.meta).toMatchObject({ per_page: 2, has_next: true, has_previous: true, has_more: true });
    expect(decodeCursor(page.meta.next_cursor!).id).toBe('w_11');
  });

  it.each([
    ['another sort', { sort: 'name', order: 'desc' as const, value: 'x', id: 'w_1' }],
    ['another order', { sort: 'created_at', order: 'asc' as const, value: '2026-01-01T00:00:00.000Z', id: 'w_1' }],
    ['a value that is no timestamp', { sort: 'created_at', order: 'desc' as const, value: 'yesterday', id: 'w_1' }],
    ['a number for a timestamp', { sort: 'created_at', order: 'desc' as const, value: 12, id: 'w_1' }],
  ])('refuses a cursor of %s with a 400 naming cursor, before any statement', async (_name, cursor) => {
    const { run, statements } = runner(0, []);
    const pageQuery: PageQuery = { kind: 'cursor', perPage: 2, cursor: decodeCursor(encodeCursor(cursor)) };
    const err = await paginateSql(run, list, pageQuery, sort, (r: Row) => r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestError);
    expect((err as InvalidRequestError).field).toBe('cursor');
    expect(statements).toEqual([]);
  });
});

import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { invalidCursor } from './page-query';

/** ISO 8601 in UTC as `toISOString` writes it; a 4-digit year stays inside PostgreSQL's range. */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** What a sort column holds, as far as a cursor's value must match it. */
export type ValueKind = 'timestamp' | 'int4' | 'int8' | 'text' | 'unknown';

const KINDS: Record<string, ValueKind> = {
  timestamptz: 'timestamp', 'timestamp with time zone': 'timestamp', timestamp: 'timestamp',
  'timestamp without time zone': 'timestamp', date: 'timestamp',
  integer: 'int4', int: 'int4', int4: 'int4', smallint: 'int4', int2: 'int4',
  bigint: 'int8', int8: 'int8',
  text: 'text', varchar: 'text', 'character varying': 'text', uuid: 'text',
};

/** The kind of value a `alias.column` sort expression holds, from the entity metadata of the query. */
function kindOf<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, column: string): ValueKind {
  const match = /^(\w+)\.(\w+)$/.exec(column);
  if (!match) return 'unknown';
  const alias = qb.expressionMap.aliases.find((a) => a.name === match[1]);
  if (!alias?.hasMetadata) return 'unknown';
  const meta = alias.metadata.findColumnWithDatabaseName(match[2]);
  if (!meta) return 'unknown';
  const type = typeof meta.type === 'function' ? meta.type.name : String(meta.type);
  return KINDS[type.toLowerCase()] ?? (type === 'Date' ? 'timestamp' : type === 'Number' ? 'int8' : type === 'String' ? 'text' : 'unknown');
}

function fits(kind: ValueKind, value: string | number): boolean {
  switch (kind) {
    case 'timestamp':
      return typeof value === 'string' && ISO_UTC.test(value) && Number.isFinite(Date.parse(value));
    case 'int4':
      return Number.isSafeInteger(value) && (value as number) >= -2_147_483_648 && (value as number) <= 2_147_483_647;
    case 'int8':
      return Number.isSafeInteger(value);
    case 'text':
      return typeof value === 'string';
    default:
      return true; // the shape check of decodeCursor already bounds it
  }
}

/**
 * A cursor's sort value must be of the sort column's kind (a timestamp for `created_at`, an integer
 * for `price`, text for `name`), or the database would reject the comparison with a 500. Only
 * values this API could have encoded pass; anything else → 400 naming `cursor`.
 */
export function assertCursorFitsColumn<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, column: string, value: string | number): void {
  assertCursorFitsKind(kindOf(qb, column), value);
}

/** The same check for a list read with plain SQL, which names its sort column's kind itself. */
export function assertCursorFitsKind(kind: ValueKind, value: string | number): void {
  if (!fits(kind, value)) throw invalidCursor('cursor does not fit this list; pass a next_cursor this route returned');
}

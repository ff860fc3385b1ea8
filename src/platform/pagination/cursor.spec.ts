import { InvalidRequestError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor } from './page-query';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    return (err as InvalidRequestError).field;
  }
  throw new Error('expected a rejection');
}

describe('decodeCursor refuses what this API never hands out (400 naming cursor)', () => {
  it.each([
    ['random base64', Buffer.from('f3a1c0de-not-json').toString('base64')],
    ['base64 of bad JSON', b64('["created_at", "desc",')],
    ['JSON null', b64('null')],
    ['a JSON string', b64('"abcd"')],
    ['a JSON object', b64('{"sort":"created_at","order":"desc","value":"x","id":"y"}')],
    ['too few elements', b64(JSON.stringify(['created_at', 'desc', 'x']))],
    ['too many elements', b64(JSON.stringify(['created_at', 'desc', 'x', 'y', 'z']))],
    ['an object as the value', b64(JSON.stringify(['created_at', 'desc', { $gt: 1 }, 'y']))],
    ['a fractional number', b64(JSON.stringify(['price', 'asc', 1.5, 'y']))],
    ['a number past the safe range', b64(JSON.stringify(['price', 'asc', 1e30, 'y']))],
    ['a NUL in the value', b64(JSON.stringify(['name', 'asc', 'a\u0000b', 'y']))],
    ['a control character in the id', b64(JSON.stringify(['name', 'asc', 'a', 'y\nz']))],
    ['an empty id', b64(JSON.stringify(['name', 'asc', 'a', '']))],
    ['an over-long value', b64(JSON.stringify(['name', 'asc', 'a'.repeat(1001), 'y']))],
    ['an over-long cursor', 'A'.repeat(3000)],
    ['an unknown order', b64(JSON.stringify(['name', 'sideways', 'a', 'y']))],
  ])('%s', (_name, raw) => {
    expect(fieldOf(() => decodeCursor(raw))).toBe('cursor');
  });

  it('still accepts what encodeCursor writes, newlines in a name included', () => {
    for (const cursor of [
      { sort: 'created_at', order: 'desc' as const, value: '2026-01-01T00:00:00.000Z', id: 'ord_1' },
      { sort: 'total', order: 'asc' as const, value: Number.MAX_SAFE_INTEGER, id: 'ord_2' },
      { sort: 'name', order: 'asc' as const, value: 'Mug\nwith a line break — ünïcødé', id: 'prod_3' },
    ]) {
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    }
  });
});

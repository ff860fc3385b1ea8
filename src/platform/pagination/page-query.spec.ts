import { InvalidRequestError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor, parsePageQuery, parseSort } from './page-query';

describe('parsePageQuery', () => {
  it('defaults to page 1 of 50', () => {
    expect(parsePageQuery({})).toEqual({ kind: 'offset', page: 1, perPage: 50 });
  });

  it('accepts limit as an alias of per_page', () => {
    expect(parsePageQuery({ limit: '10', page: '3' })).toEqual({ kind: 'offset', page: 3, perPage: 10 });
  });

  it.each([
    [{ page: '0' }, 'page'],
    [{ page: '-1' }, 'page'],
    [{ page: '1.5' }, 'page'],
    [{ per_page: '201' }, 'per_page'],
    [{ per_page: '0' }, 'per_page'],
    [{ limit: 'abc' }, 'limit'],
    [{ cursor: 'not-base64-json' }, 'cursor'],
  ])('rejects %p naming %s', (query, field) => {
    try {
      parsePageQuery(query);
      throw new Error('expected a rejection');
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidRequestError);
      expect((err as InvalidRequestError).field).toBe(field);
    }
  });

  it('round-trips a cursor', () => {
    const cursor = { sort: 'created_at', order: 'desc' as const, value: '2026-01-01T00:00:00.000Z', id: 'prod_x' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(parsePageQuery({ cursor: encodeCursor(cursor), per_page: '5' })).toEqual({ kind: 'cursor', perPage: 5, cursor });
  });
});

describe('parseSort', () => {
  const allowed = ['name', 'created_at'] as const;
  it('uses the fallback and accepts whitelisted fields', () => {
    expect(parseSort({}, allowed, { sort: 'created_at', order: 'desc' })).toEqual({ sort: 'created_at', order: 'desc' });
    expect(parseSort({ sort: 'name' }, allowed, { sort: 'created_at', order: 'desc' })).toEqual({ sort: 'name', order: 'asc' });
  });

  it('names the bad parameter', () => {
    expect(() => parseSort({ sort: 'password' }, allowed, { sort: 'name', order: 'asc' })).toThrow(/sort must be one of/);
    expect(() => parseSort({ order: 'sideways' }, allowed, { sort: 'name', order: 'asc' })).toThrow(/order must be/);
  });
});

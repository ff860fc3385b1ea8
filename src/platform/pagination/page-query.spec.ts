import 'reflect-metadata';
import { ListProductsQueryDto } from '../../generated/request-dtos';
import { InvalidRequestError } from '../errors/domain-errors';
import { createValidationPipe } from '../http/validation.pipe';
import { decodeCursor, encodeCursor, pageQueryOf, sortOf } from './page-query';

/** A query string as the list route's generated DTO and the validation pipe type it. */
async function typed(query: Record<string, string>): Promise<ListProductsQueryDto> {
  return (await createValidationPipe().transform(query, { type: 'query', metatype: ListProductsQueryDto })) as ListProductsQueryDto;
}

async function refusedField(query: Record<string, string>): Promise<string | undefined> {
  try {
    pageQueryOf(await typed(query));
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidRequestError);
    return (err as InvalidRequestError).field;
  }
  throw new Error('expected a rejection');
}

describe('paging parameters (query DTO from the spec, then pageQueryOf)', () => {
  it('defaults to page 1 of 50', async () => {
    expect(pageQueryOf(await typed({}))).toEqual({ kind: 'offset', page: 1, perPage: 50 });
  });

  it('accepts limit as an alias of per_page', async () => {
    expect(pageQueryOf(await typed({ limit: '10', page: '3' }))).toEqual({ kind: 'offset', page: 3, perPage: 10 });
  });

  it.each([
    [{ page: '0' }, 'page'],
    [{ page: '-1' }, 'page'],
    [{ page: '1.5' }, 'page'],
    [{ per_page: '201' }, 'per_page'],
    [{ per_page: '0' }, 'per_page'],
    [{ limit: 'abc' }, 'limit'],
    [{ cursor: 'not-base64-json' }, 'cursor'],
    [{ cursor: encodeCursor({ sort: 'name', order: 'asc', value: 'a', id: 'prod_1' }), page: '2' }, 'page'],
    [{ unknown_param: '1' }, 'unknown_param'],
  ])('rejects %p naming %s', async (query, field) => {
    expect(await refusedField(query)).toBe(field);
  });

  it('round-trips a cursor', async () => {
    const cursor = { sort: 'created_at', order: 'desc' as const, value: '2026-01-01T00:00:00.000Z', id: 'prod_x' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(pageQueryOf(await typed({ cursor: encodeCursor(cursor), per_page: '5' }))).toEqual({ kind: 'cursor', perPage: 5, cursor });
  });
});

describe('sortOf', () => {
  it('uses the fallback and accepts the fields the spec lists', async () => {
    expect(sortOf(await typed({}), { sort: 'created_at', order: 'desc' })).toEqual({ sort: 'created_at', order: 'desc' });
    expect(sortOf(await typed({ sort: 'name' }), { sort: 'created_at', order: 'desc' })).toEqual({ sort: 'name', order: 'asc' });
  });

  it('names the bad parameter', async () => {
    await expect(typed({ sort: 'password' })).rejects.toMatchObject({ field: 'sort', message: expect.stringMatching(/sort must be one of/) });
    await expect(typed({ order: 'sideways' })).rejects.toMatchObject({ field: 'order', message: expect.stringMatching(/order must be one of/) });
  });
});

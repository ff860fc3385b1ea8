import { NotFoundError } from '../errors/domain-errors';
import { isId, newId, parseIdOr404 } from './ids';

describe('ids', () => {
  it('mints prefixed, time-sortable ids', () => {
    const a = newId('prod');
    const b = newId('prod');
    expect(a).toMatch(/^prod_[0-7][0-9a-hjkmnp-tv-z]{25}$/);
    expect(a < b).toBe(true);
  });

  it('recognises its own ids only', () => {
    const id = newId('ord');
    expect(isId(id, 'ord')).toBe(true);
    expect(isId(id, 'prod')).toBe(false);
    expect(isId('ord_not-an-id', 'ord')).toBe(false);
    expect(isId('ord_8zzzzzzzzzzzzzzzzzzzzzzzzz', 'ord')).toBe(false);
    expect(isId(undefined, 'ord')).toBe(false);
  });

  it('answers a malformed or wrong-prefix id with not found', () => {
    expect(() => parseIdOr404('garbage', 'prod', 'product')).toThrow(NotFoundError);
    expect(() => parseIdOr404(newId('cus'), 'prod', 'product')).toThrow(NotFoundError);
    const id = newId('prod');
    expect(parseIdOr404(id, 'prod', 'product')).toBe(id);
  });
});

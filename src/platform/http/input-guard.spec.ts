import { InvalidRequestError, NotFoundError, ValidationError } from '../errors/domain-errors';
import { assertStorableInput, MAX_JSON_DEPTH, unstorableTextReason } from './input-guard';

describe('unstorableTextReason', () => {
  it('accepts ordinary text, emoji (a valid surrogate pair) and an empty string', () => {
    expect(unstorableTextReason('Grüße 👋')).toBeUndefined();
    expect(unstorableTextReason('')).toBeUndefined();
  });
  it('refuses NUL and lone high or low surrogates', () => {
    expect(unstorableTextReason('a\u0000')).toMatch(/NUL/);
    expect(unstorableTextReason('x\ud800')).toMatch(/surrogate/);
    expect(unstorableTextReason('\udc00x')).toMatch(/surrogate/);
    expect(unstorableTextReason('\udc00\ud800')).toMatch(/surrogate/);
  });
});

describe('assertStorableInput', () => {
  const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : [nested(depth - 1)]);

  it('names the offending field with its path', () => {
    try {
      assertStorableInput('body', { items: [{ note: 'ok' }, { note: 'bad\u0000' }] });
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('items[1].note');
    }
  });
  it('checks object keys too', () => {
    expect(() => assertStorableInput('body', { metadata: { 'k\u0000': 'v' } })).toThrow(ValidationError);
  });
  it('answers a bad path parameter as not found', () => {
    expect(() => assertStorableInput('params', { id: 'prod_\u0000' })).toThrow(NotFoundError);
  });
  it('allows nesting up to the limit and refuses one level more', () => {
    expect(() => assertStorableInput('body', nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => assertStorableInput('body', nested(MAX_JSON_DEPTH + 1))).toThrow(InvalidRequestError);
  });
  it('ignores numbers, booleans, null and undefined', () => {
    expect(() => assertStorableInput('query', { a: 1, b: true, c: null, d: undefined })).not.toThrow();
  });
});

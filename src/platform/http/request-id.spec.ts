import { resolveRequestId } from './request-id';

describe('resolveRequestId', () => {
  it('reuses a safe incoming id', () => {
    expect(resolveRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
  });

  it('mints an id for missing, unsafe or overlong values', () => {
    expect(resolveRequestId(undefined)).toMatch(/^req_/);
    expect(resolveRequestId('has space')).toMatch(/^req_/);
    expect(resolveRequestId('<script>')).toMatch(/^req_/);
    expect(resolveRequestId('a'.repeat(129))).toMatch(/^req_/);
    expect(resolveRequestId('a'.repeat(128))).toBe('a'.repeat(128));
  });
});

import { RefreshSuccessorCipher } from './refresh-successor-cipher';

describe('RefreshSuccessorCipher', () => {
  const cipher = new RefreshSuccessorCipher({ HASH_SECRET: 'h'.repeat(40) });
  const pair = { access_token: 'eyJ.access', refresh_token: 'crt_next', token_type: 'Bearer' as const, expires_in: 3600 };

  it('opens what it sealed only with the same old token, row and secret', () => {
    const sealed = cipher.seal(pair, 'crt_old', 'rt_1');
    expect(sealed).not.toContain('crt_next');
    expect(cipher.open(sealed, 'crt_old', 'rt_1')).toEqual(pair);
    expect(cipher.open(sealed, 'crt_other', 'rt_1')).toBeNull();
    expect(cipher.open(sealed, 'crt_old', 'rt_2')).toBeNull();
    expect(new RefreshSuccessorCipher({ HASH_SECRET: 'x'.repeat(40) }).open(sealed, 'crt_old', 'rt_1')).toBeNull();
  });

  it('refuses altered or malformed values', () => {
    const sealed = cipher.seal(pair, 'crt_old', 'rt_1');
    const parts = sealed.split('.');
    parts[3] = parts[3].slice(0, -2) + (parts[3].endsWith('AA') ? 'BA' : 'AA');
    expect(cipher.open(parts.join('.'), 'crt_old', 'rt_1')).toBeNull();
    expect(cipher.open('garbage', 'crt_old', 'rt_1')).toBeNull();
    expect(cipher.open('v2.a.b.c', 'crt_old', 'rt_1')).toBeNull();
  });
});

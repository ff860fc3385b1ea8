import { readCookies, serializeCookie } from './refresh-transport';

describe('refresh cookies', () => {
  it('reads the first occurrence of each cookie and ignores values this API never sets', () => {
    const cookies = readCookies('refresh_token=crt_abc-DEF_1; csrf_token=xyz; refresh_token=crt_second; junk=a%20b; novalue; =x');
    expect(cookies.get('refresh_token')).toBe('crt_abc-DEF_1');
    expect(cookies.get('csrf_token')).toBe('xyz');
    expect(cookies.has('junk')).toBe(false);
    expect(readCookies(undefined).size).toBe(0);
  });

  it('writes Secure, SameSite=Strict cookies, HttpOnly when asked', () => {
    expect(serializeCookie('refresh_token', 'crt_1', { path: '/api/v1/auth', maxAge: 60, httpOnly: true })).toBe(
      'refresh_token=crt_1; Path=/api/v1/auth; Max-Age=60; HttpOnly; Secure; SameSite=Strict',
    );
    expect(serializeCookie('csrf_token', '', { path: '/', maxAge: 0, httpOnly: false })).toBe('csrf_token=; Path=/; Max-Age=0; Secure; SameSite=Strict');
  });
});

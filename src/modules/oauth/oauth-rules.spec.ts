import { csrfTokenFor, csrfTokenValid, parseCookies } from './consent-session';
import { redirectUriProblem } from './oauth-clients.service';
import { isKnownScope, scopeAllowed } from './oauth-scopes';

describe('OAuth rules', () => {
  it('takes https redirect URIs, and http only on loopback; no fragments, no credentials', () => {
    expect(redirectUriProblem('https://app.example.com/cb')).toBeNull();
    expect(redirectUriProblem('http://127.0.0.1:8080/cb')).toBeNull();
    expect(redirectUriProblem('http://[::1]/cb')).toBeNull();
    expect(redirectUriProblem('http://localhost:5173/cb')).toBeNull();
    expect(redirectUriProblem('http://app.example.com/cb')).toContain('https');
    expect(redirectUriProblem('http://127.0.0.1.evil.example/cb')).toContain('https');
    expect(redirectUriProblem('https://app.example.com/cb#frag')).toContain('fragment');
    expect(redirectUriProblem('https://user:pw@app.example.com/cb')).toContain('credentials');
    expect(redirectUriProblem('javascript:alert(1)')).toContain('https');
    expect(redirectUriProblem('/relative')).toContain('absolute');
  });

  it('knows the API-key scopes; write covers read, never the other way', () => {
    expect(isKnownScope('orders:write')).toBe(true);
    expect(isKnownScope('users:write')).toBe(false);
    expect(isKnownScope('orders:admin')).toBe(false);
    expect(scopeAllowed(['orders:write'], 'orders:read')).toBe(true);
    expect(scopeAllowed(['orders:read'], 'orders:write')).toBe(false);
    expect(scopeAllowed(['orders:read'], 'products:read')).toBe(false);
  });

  it('binds the CSRF token to the browser cookie', () => {
    const token = csrfTokenFor('s'.repeat(32), 'cookie-a');
    expect(csrfTokenValid('s'.repeat(32), 'cookie-a', token)).toBe(true);
    expect(csrfTokenValid('s'.repeat(32), 'cookie-b', token)).toBe(false);
    expect(csrfTokenValid('s'.repeat(32), undefined, token)).toBe(false);
    expect(csrfTokenValid('s'.repeat(32), 'cookie-a', undefined)).toBe(false);
    expect(csrfTokenValid('t'.repeat(32), 'cookie-a', token)).toBe(false);
  });

  it('reads only cookie values of our shape', () => {
    expect(parseCookies('a=abc_-1; b="x y"; c=; d=ok')).toEqual({ a: 'abc_-1', d: 'ok' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha256 } from './oauth-secrets';

export const SESSION_COOKIE = 'cbapi_oauth_session';
export const CSRF_COOKIE = 'cbapi_oauth_csrf';
export const SESSION_TTL_SECONDS = 1800;

/** Who signed in on the consent page (kept in Redis under the hash of the cookie's value). */
export interface ConsentSession {
  tenantId: string;
  userId: string;
  email: string;
}

export function sessionKey(cookieValue: string): string {
  return `oauth:consent-session:${sha256(cookieValue)}`;
}

export function newCookieValue(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The consent page's cookies: only for /oauth, unreadable by scripts, not sent on cross-site
 * posts (SameSite=Lax still lets the client's top-level link to /oauth/authorize carry the session).
 */
export function cookieHeader(name: string, value: string, secure: boolean, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/oauth; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (/^[A-Za-z0-9_-]{1,100}$/.test(value)) out[name] = value;
  }
  return out;
}

/**
 * The CSRF token of the forms: an HMAC of the browser's CSRF cookie. A cross-site page can make the
 * browser post, but cannot read the cookie, so it cannot produce the matching token.
 */
export function csrfTokenFor(secret: string, csrfCookie: string): string {
  return createHmac('sha256', secret).update(`oauth-consent:${csrfCookie}`).digest('base64url');
}

export function csrfTokenValid(secret: string, csrfCookie: string | undefined, token: unknown): boolean {
  if (!csrfCookie || typeof token !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(secret, csrfCookie));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

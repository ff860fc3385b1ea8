import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AuthorizationError, InvalidRequestError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';

export const REFRESH_COOKIE = 'refresh_token';
export const CSRF_COOKIE = 'csrf_token';
/** The refresh cookie goes only to the auth routes (refresh, logout), never to every API call. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';
const TRANSPORT_HEADER = 'x-refresh-token-transport';
const CSRF_HEADER = 'x-csrf-token';
/** Values this API puts in its cookies (base64url, `crt_` tokens); anything else is not ours. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,200}$/;

export type SessionTokens = Schemas['TokenPair'] | Schemas['CookieTokenPair'];

/** Where a refresh request's token came from. */
export interface PresentedRefreshToken {
  token: string;
  /** The cookie transport: the answer goes back into the cookie, and the CSRF token is kept. */
  csrfToken: string | null;
}

/**
 * The refresh token's two transports. `body` (the default) returns it in the JSON body, for
 * servers and apps with their own secure storage. `cookie` keeps it out of reach of page scripts:
 * an `HttpOnly; Secure; SameSite=Strict` cookie scoped to /api/v1/auth. Since a browser attaches
 * that cookie by itself, every request that uses it also proves it was made by the app
 * (double-submit): a readable `csrf_token` cookie, also given in the body, must come back in
 * `X-CSRF-Token`. A forged cross-site form cannot set the header, and a cross-origin script cannot
 * read the token or send the header without passing CORS.
 */
@Injectable()
export class RefreshTransport {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether the caller asked for the cookie transport (`X-Refresh-Token-Transport: cookie`). */
  wantsCookie(request: FastifyRequest): boolean {
    const value = request.headers[TRANSPORT_HEADER];
    if (value === undefined || value === 'body') return false;
    if (value === 'cookie') return true;
    throw new InvalidRequestError('X-Refresh-Token-Transport must be body or cookie', 'X-Refresh-Token-Transport');
  }

  /**
   * The token to rotate: the body's when it has one, else the refresh cookie's — which needs the
   * CSRF header. Null when the request carries neither.
   */
  presented(request: FastifyRequest, bodyToken: string | undefined): PresentedRefreshToken | null {
    if (bodyToken) return { token: bodyToken, csrfToken: null };
    return this.cookieToken(request);
  }

  /** The refresh cookie's token after its CSRF check, or null when the request has no refresh cookie. */
  cookieToken(request: FastifyRequest): PresentedRefreshToken | null {
    const cookies = readCookies(request.headers.cookie);
    const token = cookies.get(REFRESH_COOKIE);
    if (!token) return null;
    const csrfCookie = cookies.get(CSRF_COOKIE);
    const csrfHeader = request.headers[CSRF_HEADER];
    if (!csrfCookie || typeof csrfHeader !== 'string' || !sameSecret(csrfHeader, csrfCookie)) {
      throw new AuthorizationError('The refresh cookie needs X-CSRF-Token equal to the csrf_token cookie');
    }
    return { token, csrfToken: csrfCookie };
  }

  /**
   * The answer to login or refresh: the pair as it is, or — for the cookie transport — the refresh
   * token moved into its cookie, with the session's CSRF token (kept across rotations, so every tab
   * of the app keeps a valid one; minted on the first cookie answer).
   */
  deliver(reply: FastifyReply, pair: Schemas['TokenPair'], cookie: { csrfToken: string | null } | null): SessionTokens {
    if (!cookie) return pair;
    const csrfToken = cookie.csrfToken ?? randomBytes(32).toString('base64url');
    const maxAge = this.config.REFRESH_TTL_DAYS * 86_400;
    reply.header('Set-Cookie', [
      serializeCookie(REFRESH_COOKIE, pair.refresh_token, { path: REFRESH_COOKIE_PATH, maxAge, httpOnly: true }),
      serializeCookie(CSRF_COOKIE, csrfToken, { path: '/', maxAge, httpOnly: false }),
    ]);
    return { access_token: pair.access_token, csrf_token: csrfToken, token_type: pair.token_type, expires_in: pair.expires_in };
  }

  /** Clears both cookies (logout). */
  clear(reply: FastifyReply): void {
    reply.header('Set-Cookie', [
      serializeCookie(REFRESH_COOKIE, '', { path: REFRESH_COOKIE_PATH, maxAge: 0, httpOnly: true }),
      serializeCookie(CSRF_COOKIE, '', { path: '/', maxAge: 0, httpOnly: false }),
    ]);
  }
}

/** Constant-time comparison of two secrets of any length (their digests are compared). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The request's cookies; values outside the alphabet this API uses are ignored. */
export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    // The first occurrence wins: browsers send the most specific path first.
    if (!cookies.has(name) && COOKIE_VALUE.test(value)) cookies.set(name, value);
  }
  return cookies;
}

/**
 * `Secure` always: browsers also accept it from http://localhost (a secure context), so local
 * development needs no TLS; anywhere else the API must be served over HTTPS for the cookie to stick.
 */
export function serializeCookie(name: string, value: string, options: { path: string; maxAge: number; httpOnly: boolean }): string {
  return [`${name}=${value}`, `Path=${options.path}`, `Max-Age=${options.maxAge}`, ...(options.httpOnly ? ['HttpOnly'] : []), 'Secure', 'SameSite=Strict'].join('; ');
}

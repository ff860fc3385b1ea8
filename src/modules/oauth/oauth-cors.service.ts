import { Injectable, Logger } from '@nestjs/common';
import { RequestContext } from '../../platform/context/request-context';
import type { DataDrivenCors } from '../../platform/http/cors';
import { OAuthRepository } from './oauth.repository';
import type { ProtocolRequest } from './oauth-protocol.service';

/** The endpoints a public client's single-page app calls with fetch(): the code exchange, refreshes, and revocation. */
export const OAUTH_CORS_PATHS: readonly string[] = ['/oauth/token', '/oauth/revoke'];
/** What a page may read of the answer besides the safelisted headers. */
export const OAUTH_CORS_EXPOSED_HEADERS = ['X-Request-Id', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After'];

/** How long a preflight's origin lookup is remembered in this process, and how many origins at most. */
const ORIGIN_MEMORY_MS = 30_000;
const ORIGIN_MEMORY_MAX = 5_000;

/**
 * CORS of the token and revocation endpoints for browser apps (public clients using PKCE). An app may
 * call them from the origins of its redirect URIs (`cors_origins`, fixed at registration): a real
 * request's answer carries `Access-Control-Allow-Origin` only when the client it names is public and
 * lists the request's origin. A preflight names no client, so it is answered for an origin any active
 * public client lists — what it lets through is a POST whose answer the browser still withholds unless
 * that POST's client lists the origin. Confidential clients never get CORS: no secret belongs in a browser.
 */
@Injectable()
export class OAuthCorsService implements DataDrivenCors {
  readonly paths = OAUTH_CORS_PATHS;
  readonly methods = ['POST'];
  /** A form post needs none but Content-Type (which a browser may still preflight when it carries a charset). */
  readonly allowedHeaders = ['Content-Type'];
  private readonly logger = new Logger('OAuthCors');
  /** Preflight answers per origin, briefly: preflights are answered before any rate limit, so repeats should not all reach the database. */
  private readonly remembered = new Map<string, { allowed: boolean; until: number }>();

  constructor(private readonly repo: OAuthRepository) {}

  async allows(origin: string, requestId: string): Promise<boolean> {
    if (!isSerializedOrigin(origin)) return false;
    const now = Date.now();
    const known = this.remembered.get(origin);
    if (known && known.until > now) return known.allowed;
    let allowed: boolean;
    try {
      allowed = await this.repo.isCorsOriginOfAnyClient(RequestContext.anonymous(requestId), origin);
    } catch (err) {
      this.logger.warn({ err, origin }, 'OAuth CORS preflight lookup failed; answered without CORS');
      return false;
    }
    if (this.remembered.size >= ORIGIN_MEMORY_MAX) this.remembered.clear();
    this.remembered.set(origin, { allowed, until: now + ORIGIN_MEMORY_MS });
    return allowed;
  }

  /**
   * The CORS headers of a token or revocation answer: for the request's origin when the client it
   * names (`client_id`, as a public client sends it) is public and lists it — so an app can read its
   * errors too — else none. `Vary: Origin` always: the answer differs by origin.
   */
  async responseHeaders(base: RequestContext, origin: string | undefined, req: ProtocolRequest | null): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Vary: 'Origin' };
    const clientId = req?.body.client_id;
    // A request with Authorization is not a public client's, and a browser would have preflighted it (refused).
    if (!origin || !req || !clientId?.startsWith('oac_') || req.headers.authorization) return headers;
    const client = await this.repo.findClient(base, clientId);
    if (!client || client.secretHash !== null || !client.corsOrigins.includes(origin)) return headers;
    return { ...headers, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': OAUTH_CORS_EXPOSED_HEADERS.join(', ') };
  }
}

/** `scheme://host[:port]` exactly as a browser serializes an origin (so `null`, paths and look-alikes never reach the database). */
function isSerializedOrigin(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

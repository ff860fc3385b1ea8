import type { Mode, RequestContext } from '../../platform/context/request-context';

/** What an OAuth access token grants, as the issuing module found it (active, unexpired, not revoked). */
export interface OAuthAccess {
  tokenId: string;
  clientId: string;
  /** The client's current name (it may belong to another tenant, whose rows this one cannot read). */
  clientName: string;
  expiresAt: Date;
  tenantId: string;
  mode: Mode;
  scopes: string[];
  /** The consent the token came from, and the user who gave it; null for client-credentials tokens. */
  grantId: string | null;
  userId: string | null;
}

/**
 * Identity's port for bearer tokens it does not issue itself: OAuth 2.0 access tokens (`oat_…`).
 * The auth guard hands such a token here and builds the request context from the answer. Identity
 * cannot import the oauth module (oauth imports identity for sign-in on the consent page), so
 * OAuthModule binds it: `{ provide: OAUTH_ACCESS_TOKENS, useExisting: OAuthProtocolService }`, found
 * through PortBindings. With no binding, OAuth tokens are simply invalid.
 */
export interface OAuthAccessTokens {
  /** The token's grant, or null when it is unknown, expired or revoked (by hash, so at once). */
  verify(base: RequestContext, token: string): Promise<OAuthAccess | null>;
}

export const OAUTH_ACCESS_TOKENS = Symbol('OAUTH_ACCESS_TOKENS');

/** OAuth access tokens are told apart from JWTs and API keys by their prefix. */
export const OAUTH_ACCESS_TOKEN_PREFIX = 'oat_';

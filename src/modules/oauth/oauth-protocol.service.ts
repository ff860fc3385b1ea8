import { Inject, Injectable, Logger } from '@nestjs/common';
import OAuth2Server from '@node-oauth/oauth2-server';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RequestContext } from '../../platform/context/request-context';
import type { OAuthAccess, OAuthAccessTokens } from '../identity/oauth-access-tokens.port';
import { OAuthRepository } from './oauth.repository';
import { oauthModel, type ModelClient, type ModelLifetimes } from './oauth-model';
import { OAUTH_SCOPES } from './oauth-scopes';
import { isSecretOfKind, sha256 } from './oauth-secrets';

// The library's own authorization-code grant, to answer a redirect_uri mismatch with invalid_grant (RFC 6749 §5.2).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const LibraryCodeGrant = require('@node-oauth/oauth2-server/lib/grant-types/authorization-code-grant-type') as new (options: object) => object;

class CodeGrantWithRfcRedirectError extends (LibraryCodeGrant as new (options: object) => { validateRedirectUri(request: unknown, code: unknown): void }) {
  override validateRedirectUri(request: unknown, code: unknown): void {
    try {
      super.validateRedirectUri(request, code);
    } catch (err) {
      if (err instanceof OAuth2Server.InvalidRequestError) {
        throw new OAuth2Server.InvalidGrantError('Invalid grant: `redirect_uri` does not match the one of the authorization request');
      }
      throw err;
    }
  }
}

/** An HTTP request as the library reads it. */
export interface ProtocolRequest {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, string>;
}

/** What an OAuth endpoint answers: JSON with the RFC's shape (never the API envelope). */
export interface ProtocolAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const AUTHORIZATION_CODE_SECONDS = 300;

const GRANT_TYPES = ['authorization_code', 'client_credentials', 'refresh_token'];

/**
 * The OAuth 2.0 protocol through @node-oauth/oauth2-server: the token endpoint (authorization code
 * with PKCE S256 only, client credentials, rotating refresh tokens), the code issuing behind the
 * consent page, revocation (RFC 7009), introspection (RFC 7662), the metadata (RFC 8414), and the
 * check of access tokens for the auth guard (identity's OAUTH_ACCESS_TOKENS port).
 */
@Injectable()
export class OAuthProtocolService implements OAuthAccessTokens {
  private readonly logger = new Logger('OAuth');
  private readonly lifetimes: ModelLifetimes;

  constructor(
    private readonly repo: OAuthRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lifetimes = { accessTokenSeconds: config.JWT_ACCESS_TTL_SECONDS, refreshTokenSeconds: config.REFRESH_TTL_DAYS * 86_400 };
  }

  server(base: RequestContext): OAuth2Server {
    return new OAuth2Server({
      model: oauthModel(base, this.repo, this.lifetimes) as unknown as OAuth2Server.AuthorizationCodeModel,
      accessTokenLifetime: this.lifetimes.accessTokenSeconds,
      refreshTokenLifetime: this.lifetimes.refreshTokenSeconds,
      authorizationCodeLifetime: AUTHORIZATION_CODE_SECONDS,
      allowEmptyState: true,
      // A public client refreshes with its client_id alone (it has no secret); getClient refuses a confidential one without its secret.
      requireClientAuthentication: { refresh_token: false },
      extendedGrantTypes: { authorization_code: CodeGrantWithRfcRedirectError as never },
    });
  }

  model(base: RequestContext) {
    return oauthModel(base, this.repo, this.lifetimes);
  }

  /** POST /oauth/token. */
  async token(base: RequestContext, req: ProtocolRequest): Promise<ProtocolAnswer> {
    const response = new OAuth2Server.Response({ headers: {} });
    try {
      // The library also knows the password grant; this server does not offer it (OAuth 2.1 drops it).
      if (req.body.grant_type && !GRANT_TYPES.includes(req.body.grant_type)) {
        throw new OAuth2Server.UnsupportedGrantTypeError('Unsupported grant type: `grant_type` is invalid');
      }
      const token = await this.server(base).token(new OAuth2Server.Request(req), response);
      const body: Record<string, unknown> = {
        access_token: token.accessToken,
        token_type: 'Bearer',
        expires_in: this.lifetimes.accessTokenSeconds,
        scope: (token.scope ?? []).join(' '),
      };
      if (token.refreshToken) body.refresh_token = token.refreshToken;
      return { status: 200, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body };
    } catch (err) {
      return this.errorAnswer(err, response);
    }
  }

  /** The client a request names, when it is known and authenticates (a public client by its id alone). */
  async authenticateClient(base: RequestContext, req: ProtocolRequest): Promise<ModelClient | null> {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    let id = req.body.client_id;
    let secret: string | undefined = req.body.client_secret;
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      if (at < 0) return null;
      id = decodeURIComponent(decoded.slice(0, at));
      secret = decodeURIComponent(decoded.slice(at + 1));
    }
    if (!id) return null;
    return this.model(base).getClient(id, secret);
  }

  /**
   * RFC 7009: the client revokes one of its own tokens; a refresh token takes its grant (every token
   * of the consent) with it. An unknown token, or one of another client, answers 200 all the same.
   */
  async revoke(base: RequestContext, req: ProtocolRequest): Promise<ProtocolAnswer> {
    const client = await this.authenticateClient(base, req);
    if (!client) return invalidClient();
    const token = req.body.token;
    if (!token) return { status: 400, headers: noStore(), body: { error: 'invalid_request', error_description: 'Missing parameter: `token`' } };
    const found = await this.repo.findTokenByHash(base, sha256(token));
    if (found && found.token.clientId === client.id) {
      const ctx = base.with({ tenantId: found.token.tenantId, mode: found.token.mode });
      if (found.token.kind === 'refresh' && found.token.grantId) await this.repo.revokeGrant(ctx, found.token.grantId, 'client_revoked');
      else await this.repo.revokeToken(ctx, found.token.id);
    }
    return { status: 200, headers: noStore(), body: {} };
  }

  /** RFC 7662, for confidential clients about their own tokens: anything else is `{active: false}`. */
  async introspect(base: RequestContext, req: ProtocolRequest): Promise<ProtocolAnswer> {
    const client = await this.authenticateClient(base, req);
    if (!client || !client.confidential) return invalidClient();
    const token = req.body.token;
    if (!token) return { status: 400, headers: noStore(), body: { error: 'invalid_request', error_description: 'Missing parameter: `token`' } };
    const found = await this.repo.findTokenByHash(base, sha256(token));
    const t = found?.token;
    if (!found || !t || t.clientId !== client.id || !isActive(found)) return { status: 200, headers: noStore(), body: { active: false } };
    return {
      status: 200,
      headers: noStore(),
      body: {
        active: true,
        scope: t.scopes.join(' '),
        client_id: t.clientId,
        token_type: t.kind === 'access' ? 'Bearer' : 'refresh_token',
        exp: Math.floor(t.expiresAt.getTime() / 1000),
        iat: Math.floor(t.createdAt.getTime() / 1000),
        sub: t.userId ?? t.clientId,
        tenant_id: t.tenantId,
        livemode: t.mode === 'live',
      },
    };
  }

  /** RFC 8414 metadata; `issuer` is the public base URL (or the request's origin). */
  metadata(issuer: string): Record<string, unknown> {
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      scopes_supported: OAUTH_SCOPES,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: GRANT_TYPES,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      service_documentation: `${issuer}/docs`,
    };
  }

  /** The port the auth guard calls: an active access token's grant, or null. */
  async verify(base: RequestContext, token: string): Promise<OAuthAccess | null> {
    if (!isSecretOfKind(token, 'access')) return null;
    const found = await this.repo.findTokenByHash(base, sha256(token));
    if (!found || found.token.kind !== 'access' || !isActive(found)) return null;
    const t = found.token;
    return {
      tokenId: t.id, clientId: t.clientId, clientName: found.clientName, tenantId: t.tenantId, mode: t.mode, scopes: t.scopes,
      grantId: t.grantId, userId: t.userId, expiresAt: t.expiresAt,
    };
  }

  errorAnswer(err: unknown, response?: OAuth2Server.Response): ProtocolAnswer {
    const headers: Record<string, string> = noStore();
    const challenge = response?.get('WWW-Authenticate');
    if (challenge) headers['WWW-Authenticate'] = challenge;
    if (err instanceof OAuth2Server.OAuthError && !(err instanceof OAuth2Server.ServerError)) {
      return { status: err.code, headers, body: { error: err.name, error_description: err.message } };
    }
    this.logger.error({ err: err instanceof OAuth2Server.ServerError ? (err as { inner?: unknown }).inner ?? err : err }, 'OAuth endpoint failed');
    return { status: 500, headers, body: { error: 'server_error', error_description: 'The server could not handle the request' } };
  }
}

function isActive(found: { token: { revokedAt: Date | null; rotatedAt: Date | null; expiresAt: Date }; clientRevoked: boolean; grantRevoked: boolean }): boolean {
  const t = found.token;
  return !found.clientRevoked && !found.grantRevoked && !t.revokedAt && !t.rotatedAt && t.expiresAt.getTime() > Date.now();
}

function noStore(): Record<string, string> {
  return { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
}

function invalidClient(): ProtocolAnswer {
  return { status: 401, headers: { ...noStore(), 'WWW-Authenticate': 'Basic realm="oauth"' }, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
}

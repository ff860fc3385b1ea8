import OAuth2Server from '@node-oauth/oauth2-server';
import { newId } from '../../platform/ids/ids';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import type { OAuthClientEntity } from './entities/oauth-client.entity';
import type { OAuthRepository } from './oauth.repository';
import { isKnownScope, scopeAllowed } from './oauth-scopes';
import { newSecret, sha256 } from './oauth-secrets';

/** The client as the library sees it, with what our rules need. */
export interface ModelClient extends OAuth2Server.Client {
  id: string;
  redirectUris: string[];
  grants: string[];
  tenantId: string;
  mode: Mode;
  name: string;
  scopes: string[];
  confidential: boolean;
}

/** Who the tokens act for: the tenant, and for a consent its user, grant and (at the exchange) the code. */
export interface ModelUser extends OAuth2Server.User {
  tenantId: string;
  userId: string | null;
  grantId: string | null;
  codeId?: string;
}

export interface ModelLifetimes {
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
}

export function toModelClient(client: OAuthClientEntity): ModelClient {
  const confidential = client.secretHash !== null;
  return {
    id: client.id,
    redirectUris: client.redirectUris,
    // A public client (no secret) cannot use client credentials: it has nothing to prove itself with.
    grants: confidential ? ['authorization_code', 'client_credentials', 'refresh_token'] : ['authorization_code', 'refresh_token'],
    tenantId: client.tenantId,
    mode: client.mode,
    name: client.name,
    scopes: client.scopes,
    confidential,
  };
}

/**
 * The storage side of @node-oauth/oauth2-server for one request: the library runs the protocol
 * (grant checks, PKCE, redirect and scope rules, error codes), this finds and records clients,
 * codes and tokens — always by hash — and adds our rules: a code is claimed once and a second use
 * revokes what the first issued; a refresh token rotates once and a second use revokes its grant.
 */
export function oauthModel(base: RequestContext, repo: OAuthRepository, lifetimes: ModelLifetimes) {
  const scoped = (tenantId: string, mode: Mode) => base.with({ tenantId, mode });

  return {
    async getClient(clientId: string, clientSecret: string | null | undefined): Promise<ModelClient | null> {
      const client = typeof clientId === 'string' && clientId.startsWith('oac_') ? await repo.findClient(base, clientId) : null;
      if (!client) return null;
      // null: the authorize endpoint, which identifies the client without authenticating it.
      if (clientSecret === null) return toModelClient(client);
      if (client.secretHash === null) return clientSecret ? null : toModelClient(client);
      return clientSecret && sha256(clientSecret) === client.secretHash ? toModelClient(client) : null;
    },

    async validateRedirectUri(redirectUri: string, client: ModelClient): Promise<boolean> {
      return client.redirectUris.includes(redirectUri); // exact match, no prefixes or wildcards
    },

    /** Unknown scopes, and scopes the client was not registered for, are refused; none asked = all the client has. */
    async validateScope(_user: ModelUser, client: ModelClient, scope?: string[]): Promise<string[] | false> {
      if (!scope || scope.length === 0) return client.scopes;
      return scope.every((s) => isKnownScope(s) && scopeAllowed(client.scopes, s)) ? [...new Set(scope)] : false;
    },

    async generateAccessToken(): Promise<string> {
      return newSecret('access');
    },
    async generateRefreshToken(): Promise<string> {
      return newSecret('refresh');
    },
    async generateAuthorizationCode(): Promise<string> {
      return newSecret('code');
    },

    async saveAuthorizationCode(
      code: Pick<OAuth2Server.AuthorizationCode, 'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'>,
      client: ModelClient,
      user: ModelUser,
    ): Promise<OAuth2Server.AuthorizationCode> {
      await repo.insertCode(scoped(user.tenantId, client.mode), {
        id: newId('ocd'),
        mode: client.mode,
        codeHash: sha256(code.authorizationCode),
        clientId: client.id,
        userId: user.userId!,
        redirectUri: code.redirectUri,
        scopes: code.scope ?? client.scopes,
        codeChallenge: code.codeChallenge!,
        codeChallengeMethod: code.codeChallengeMethod!,
        expiresAt: code.expiresAt,
      });
      return { ...code, client, user };
    },

    /** Consumed codes are returned too: revokeAuthorizationCode tells a reuse apart and acts on it. */
    async getAuthorizationCode(authorizationCode: string): Promise<OAuth2Server.AuthorizationCode | null> {
      const code = await repo.findCodeByHash(base, sha256(authorizationCode));
      if (!code) return null;
      return {
        authorizationCode,
        expiresAt: code.expiresAt,
        redirectUri: code.redirectUri,
        scope: code.scopes,
        codeChallenge: code.codeChallenge,
        codeChallengeMethod: code.codeChallengeMethod,
        client: { id: code.clientId, grants: [] },
        user: { tenantId: code.tenantId, userId: code.userId, grantId: null, codeId: code.id, mode: code.mode } satisfies ModelUser,
      };
    },

    /** Claims the code; a code already exchanged revokes the grant its first exchange created (RFC 6749 §4.1.2). */
    async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
      const user = code.user as ModelUser;
      const ctx = scoped(user.tenantId, user.mode as Mode);
      if (await repo.consumeCode(ctx, user.codeId!)) return true;
      const grantId = await repo.markCodeReused(ctx, user.codeId!);
      if (grantId) await repo.revokeGrant(ctx, grantId, 'code_reuse');
      return false;
    },

    async getUserFromClient(client: ModelClient): Promise<ModelUser> {
      return { tenantId: client.tenantId, userId: null, grantId: null };
    },

    /** Consumed refresh tokens come back flagged; a reuse revokes the whole grant and is refused. */
    async getRefreshToken(refreshToken: string): Promise<OAuth2Server.RefreshToken | null> {
      const found = await repo.findTokenByHash(base, sha256(refreshToken));
      if (!found || found.token.kind !== 'refresh' || found.clientRevoked || found.grantRevoked || found.token.revokedAt) return null;
      const { token } = found;
      if (token.rotatedAt) {
        if (token.grantId) await repo.revokeGrant(scoped(token.tenantId, token.mode), token.grantId, 'refresh_reuse');
        return null;
      }
      return {
        refreshToken,
        refreshTokenExpiresAt: token.expiresAt,
        scope: token.scopes,
        client: { id: token.clientId, grants: [] },
        user: { tenantId: token.tenantId, userId: token.userId, grantId: token.grantId, tokenId: token.id, mode: token.mode } satisfies ModelUser,
      };
    },

    async revokeToken(token: OAuth2Server.RefreshToken): Promise<boolean> {
      const user = token.user as ModelUser;
      return repo.rotateRefreshToken(scoped(user.tenantId, user.mode as Mode), user.tokenId as string);
    },

    /**
     * Records the issued pair. The exchange of a code opens its grant (the consent, which the tenant
     * sees among its authorized apps) until the refresh token's expiry; a refresh continues the grant
     * of the token it rotated and moves that expiry on.
     */
    async saveToken(token: OAuth2Server.Token, client: ModelClient, user: ModelUser): Promise<OAuth2Server.Token> {
      const ctx = scoped(user.tenantId, client.mode);
      const scopes = token.scope ?? client.scopes;
      const accessExpiresAt = token.accessTokenExpiresAt ?? new Date(Date.now() + lifetimes.accessTokenSeconds * 1000);
      // Client credentials get no refresh token: the client can always ask again with its secret.
      const refreshExpiresAt = token.refreshToken && user.userId
        ? token.refreshTokenExpiresAt ?? new Date(Date.now() + lifetimes.refreshTokenSeconds * 1000)
        : null;
      const grant = user.codeId
        ? { id: newId('oag'), mode: client.mode, clientId: client.id, clientName: client.name, userId: user.userId!, scopes, expiresAt: refreshExpiresAt ?? accessExpiresAt }
        : undefined;
      const grantId = grant?.id ?? user.grantId;
      const rows: { kind: 'access' | 'refresh'; secret: string; expiresAt: Date }[] = [{ kind: 'access', secret: token.accessToken, expiresAt: accessExpiresAt }];
      if (refreshExpiresAt) rows.push({ kind: 'refresh', secret: token.refreshToken!, expiresAt: refreshExpiresAt });
      const recorded = await repo.recordIssued(ctx, {
        grant,
        codeId: user.codeId,
        extendGrant: !grant && grantId && refreshExpiresAt ? { id: grantId, until: refreshExpiresAt } : undefined,
        tokens: rows.map((r) => ({
          id: newId('otk'), mode: client.mode, kind: r.kind, tokenHash: sha256(r.secret), clientId: client.id, grantId, userId: user.userId, scopes, expiresAt: r.expiresAt,
        })),
      });
      if (!recorded) throw new OAuth2Server.InvalidGrantError('Invalid grant: authorization code was used twice');
      const saved: OAuth2Server.Token = { ...token, scope: scopes, client, user };
      if (!user.userId) delete saved.refreshToken;
      return saved;
    },

    async getAccessToken(): Promise<null> {
      return null; // bearer tokens are checked by the auth guard (OAuthProtocolService.verify), not by the library
    },
  };
}

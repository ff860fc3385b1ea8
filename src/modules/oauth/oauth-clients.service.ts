import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { invalid, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { OAuthClientEntity } from './entities/oauth-client.entity';
import type { OAuthGrantEntity } from './entities/oauth-grant.entity';
import { OAuthRepository } from './oauth.repository';
import { isKnownScope } from './oauth-scopes';
import { newSecret, sha256 } from './oauth-secrets';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A redirect URI a client may register: absolute, no fragment (RFC 6749 §3.1.2), and https —
 * except on loopback, where native apps and local development listen (RFC 8252 §7.3).
 */
export function redirectUriProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.hash || raw.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'must use https (http only on loopback: 127.0.0.1, [::1], localhost)';
}

/**
 * The browser origins a public client's single-page app may call the token and revocation endpoints
 * from: those of its redirect URIs (the page that receives the code is the one that exchanges it),
 * as a browser writes them in `Origin`. None for a confidential client, whose secret must not be in a browser.
 */
export function corsOriginsOf(redirectUris: readonly string[], confidential: boolean): string[] {
  return confidential ? [] : [...new Set(redirectUris.map((uri) => new URL(uri).origin))];
}

/** Registering, listing and deleting a tenant's OAuth clients; listing and revoking the apps it authorized. */
@Injectable()
export class OAuthClientsService {
  constructor(private readonly repo: OAuthRepository) {}

  async create(ctx: RequestContext, body: Schemas['CreateOAuthClientRequest']): Promise<Schemas['OAuthClientWithSecret']> {
    body.redirect_uris.forEach((uri, i) => {
      const problem = redirectUriProblem(uri);
      if (problem) throw invalid(`redirect_uris[${i}]`, problem);
    });
    body.scopes.forEach((scope, i) => {
      if (!isKnownScope(scope)) throw invalid(`scopes[${i}]`, `unknown scope ${scope}`);
    });
    const confidential = (body.client_type ?? 'confidential') === 'confidential';
    const secret = confidential ? newSecret('client_secret') : null;
    const redirectUris = [...new Set(body.redirect_uris)];
    const client = await this.repo.insertClient(ctx, {
      id: newId('oac'),
      mode: body.mode ?? 'live',
      name: body.name,
      redirectUris,
      scopes: [...new Set(body.scopes)],
      corsOrigins: corsOriginsOf(redirectUris, confidential),
      secretHash: secret ? sha256(secret) : null,
    });
    return { ...toClient(client), client_secret: secret };
  }

  async list(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, mode?: Schemas['Mode']): Promise<Page<Schemas['OAuthClient']>> {
    return (await this.repo.listClients(ctx, page, sort, mode)).map(toClient);
  }

  /**
   * Its tokens stop at once (every token lookup checks its client), and the authorizations tenants
   * gave it end with it: a deleted app is not left in their authorized apps, where it could be
   * neither used nor usefully revoked. They are ended (reason `client_deleted`), not marked: an
   * authorized-apps list holds only what is in force.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    const client = await this.repo.findOwnClient(ctx, parseIdOr404(id, 'oac', 'OAuth client'));
    if (!client) throw new NotFoundError('OAuth client', id);
    await this.repo.deleteClient(ctx, client.id);
  }

  async listAuthorizations(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }): Promise<Page<Schemas['OAuthAuthorization']>> {
    return (await this.repo.listGrants(ctx, page, sort)).map(toAuthorization);
  }

  async revokeAuthorization(ctx: RequestContext, id: string): Promise<void> {
    const grant = await this.repo.findActiveGrant(ctx, parseIdOr404(id, 'oag', 'OAuth authorization'));
    if (!grant) throw new NotFoundError('OAuth authorization', id);
    await this.repo.revokeGrant(ctx, grant.id, 'tenant');
  }
}

function toClient(c: OAuthClientEntity): Schemas['OAuthClient'] {
  return {
    id: c.id,
    name: c.name,
    mode: c.mode,
    client_type: c.secretHash ? 'confidential' : 'public',
    redirect_uris: c.redirectUris,
    scopes: c.scopes,
    cors_origins: c.corsOrigins,
    created_at: c.createdAt.toISOString(),
  };
}

function toAuthorization(g: OAuthGrantEntity): Schemas['OAuthAuthorization'] {
  return { id: g.id, client_id: g.clientId, client_name: g.clientName, mode: g.mode, user_id: g.userId, scopes: g.scopes, created_at: g.createdAt.toISOString() };
}

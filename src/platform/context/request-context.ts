import type { EntityManager } from 'typeorm';

export type Mode = 'live' | 'test';
export type Role = 'owner' | 'admin' | 'staff' | 'customer';

export type WindowLimitName = 'reads_per_minute' | 'reads_per_hour' | 'reads_per_day' | 'writes_per_minute' | 'writes_per_hour' | 'writes_per_day';

/**
 * The tenant plan's limits: each credential may make this many requests, and so may all of the
 * tenant's credentials of one mode together. Hourly and daily caps are absent (or null) when the
 * plan sets none; `credential` holds an API key's own lower limits.
 */
export interface RateLimits {
  readsPerMinute: number;
  writesPerMinute: number;
  readsPerHour?: number | null;
  readsPerDay?: number | null;
  writesPerHour?: number | null;
  writesPerDay?: number | null;
  /** Minutes' worth of the per-minute rate a bucket holds (default 2). */
  burstFactor?: number;
  credential?: Partial<Record<WindowLimitName, number>> | null;
}

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: Role; customerId: string | null; tokenId: string; familyId: string; expiresAt: number }
  | { kind: 'api_key'; keyId: string; access: 'read_only' | 'read_write' }
  /** A client-portal (personal) token of a `customer` user: sees what that user sees, nothing more. */
  | { kind: 'customer_token'; tokenId: string; userId: string; customerId: string; access: 'read_only' | 'read_write' }
  /**
   * An OAuth 2.0 access token: a client acting for the tenant within its granted scopes, either for
   * itself (client credentials, no grant) or through a user's consent (grant and user set). The
   * client's name and the token's expiry are what `GET /auth/me` tells the app about itself.
   */
  | { kind: 'oauth_app'; clientId: string; clientName: string; tokenId: string; grantId: string | null; userId: string | null; expiresAt: Date }
  | { kind: 'system'; name: string };

/**
 * Who is asking, for which tenant and mode, and inside which transaction. Every service and
 * repository method takes it first; queries are scoped by `tenantId` and `mode` from here.
 */
export class RequestContext {
  constructor(
    readonly requestId: string,
    readonly tenantId: string | null,
    readonly mode: Mode,
    readonly actor: Actor,
    readonly scopes: readonly string[] | null,
    readonly manager?: EntityManager,
    readonly limits?: RateLimits,
  ) {}

  static anonymous(requestId: string): RequestContext {
    return new RequestContext(requestId, null, 'live', { kind: 'anonymous' }, null);
  }

  /** For workers and the CLI: acts for a tenant with no user behind it. */
  static system(name: string, tenantId: string, mode: Mode, requestId = `job_${name}`): RequestContext {
    return new RequestContext(requestId, tenantId, mode, { kind: 'system', name }, null);
  }

  /** Identifies the credential for per-key / per-user counters; null when anonymous. */
  get credentialId(): string | null {
    switch (this.actor.kind) {
      case 'api_key':
        return this.actor.keyId;
      case 'customer_token':
        return this.actor.tokenId;
      case 'user':
        return this.actor.userId;
      case 'oauth_app':
        // Per client within each tenant it acts for: one tenant's heavy use of an app leaves the others' share alone.
        return `${this.actor.clientId}:${this.tenantId}`;
      default:
        return null;
    }
  }

  get livemode(): boolean {
    return this.mode === 'live';
  }

  /** The tenant this request acts for; only callable behind authentication. */
  get tenant(): string {
    if (!this.tenantId) throw new Error('RequestContext has no tenant: route is missing authentication');
    return this.tenantId;
  }

  /**
   * A customer user, or its personal token, is confined to its own customer record; null for everyone
   * else. Every module serving customers (orders, invoices, services, domains, tickets) filters by it.
   */
  get customerScope(): string | null {
    if (this.actor.kind === 'customer_token') return this.actor.customerId;
    return this.actor.kind === 'user' && this.actor.role === 'customer' ? this.actor.customerId ?? '' : null;
  }

  withManager(manager: EntityManager): RequestContext {
    return new RequestContext(this.requestId, this.tenantId, this.mode, this.actor, this.scopes, manager, this.limits);
  }

  with(changes: Partial<Pick<RequestContext, 'tenantId' | 'mode' | 'actor' | 'scopes' | 'limits'>>): RequestContext {
    return new RequestContext(
      this.requestId,
      changes.tenantId !== undefined ? changes.tenantId : this.tenantId,
      changes.mode ?? this.mode,
      changes.actor ?? this.actor,
      changes.scopes !== undefined ? changes.scopes : this.scopes,
      this.manager,
      changes.limits ?? this.limits,
    );
  }
}

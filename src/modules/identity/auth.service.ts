import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext, type RateLimits } from '../../platform/context/request-context';
import { AuthenticationError, AuthorizationError } from '../../platform/errors/domain-errors';
import { ipAllowed } from './allowed-ips';
import type { Schemas } from '../../platform/openapi/schemas';
import { withTimeout } from '../../platform/rate-limit/with-timeout';
import { PortBindings } from '../../platform/ports/port-bindings';
import { REDIS } from '../../platform/redis/redis.module';
import { CredentialCache, type VerifiedKey } from './credential-cache';
import { EVERY_TENANT } from './credential-change-feed';
import type { ApiKeyEntity } from './entities/api-key.entity';
import { IdentityRepository } from './identity.repository';
import { toApiKey, toTenant, toUser } from './identity.mappers';
import { LoginThrottleService, type LoginAccount } from './login-throttle.service';
import { decoyHash, verifyPassword } from './password-hasher';
import { looksLikeApiKey, parseApiKey, sha256 } from './secrets';
import { TokensService } from './tokens.service';
import { OAUTH_ACCESS_TOKEN_PREFIX, OAUTH_ACCESS_TOKENS, type OAuthAccessTokens } from './oauth-access-tokens.port';
import type { Role } from '../../platform/context/request-context';

/** A person who proved their password (the OAuth consent page signs users in with it). */
export interface VerifiedUser {
  tenantId: string;
  userId: string;
  role: Role;
  email: string;
}

const LAST_USED_WRITE_EVERY_SECONDS = 60;
/** How long the last_used_at marker waits on Redis, and how long it is skipped after Redis failed to answer. */
const TOUCH_REDIS_TIMEOUT_MS = 500;
const TOUCH_RETRY_AFTER_MS = 5_000;

/** Sign-in, token refresh, logout, and turning a bearer credential into a request context. */
@Injectable()
export class AuthService {
  /** Key id → until when this process knows the Redis "touched" marker of the key exists. */
  private readonly touchedUntil = new Map<string, number>();

  constructor(
    private readonly repo: IdentityRepository,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottleService,
    private readonly bindings: PortBindings,
    private readonly credentials: CredentialCache,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(ctx: RequestContext, body: Schemas['LoginRequest'], ip: string): Promise<Schemas['TokenPair']> {
    const user = await this.checkPassword(ctx, body, ip);
    return this.tokens.issue(ctx.with({ tenantId: user.tenantId }), user, body.mode ?? 'live');
  }

  /** Login without a session: the OAuth consent page's sign-in, on the same brute-force budget as login. */
  async verifyCredentials(ctx: RequestContext, body: { email: string; password: string; tenant_id?: string }, ip: string): Promise<VerifiedUser> {
    const user = await this.checkPassword(ctx, body, ip);
    return { tenantId: user.tenantId, userId: user.id, role: user.role, email: user.email };
  }

  /**
   * A wrong password, an unknown e-mail and an e-mail shared by several tenants (without tenant_id)
   * get the same answer at the same cost (a password check against a decoy hash), and each attempt
   * is counted before the check, so parallel guesses cannot outrun the counter.
   */
  private async checkPassword(ctx: RequestContext, body: { email: string; password: string; tenant_id?: string }, ip: string) {
    const email = body.email.toLowerCase();
    const candidates = await this.repo.findUsersByEmail(ctx, email, body.tenant_id);
    const user = candidates.length === 1 ? candidates[0] : undefined;
    const account: LoginAccount = user ? { tenantId: user.tenantId, userId: user.id } : { email };
    await this.throttle.claimAttempt(account, ip);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) {
      throw new AuthenticationError('E-mail or password is incorrect (an e-mail used in several tenants also needs tenant_id)');
    }
    await this.throttle.recordSuccess(account, ip);
    return user;
  }

  /** The user's current role in its tenant, or null when the user is gone (an OAuth consent needs an owner or admin). */
  async currentRole(ctx: RequestContext, userId: string): Promise<Role | null> {
    return (await this.repo.findUser(ctx, userId))?.role ?? null;
  }

  async refresh(ctx: RequestContext, refreshToken: string): Promise<Schemas['TokenPair']> {
    const result = await this.tokens.rotate(ctx, refreshToken);
    if ('reused' in result) {
      throw new AuthenticationError('Refresh token was already used; the session has been revoked for safety');
    }
    return result.pair;
  }

  /** Ends the access token's session and, with the cookie transport, the cookie's (normally the same one). */
  async logout(ctx: RequestContext, cookieRefreshToken?: string): Promise<void> {
    if (ctx.actor.kind !== 'user') throw new AuthenticationError('Logout needs a user access token');
    await this.tokens.denyAccessToken(ctx.actor.tokenId, ctx.actor.expiresAt);
    await this.tokens.revokeFamily(ctx, ctx.actor.familyId);
    if (cookieRefreshToken) await this.tokens.revokeFamilyOf(ctx, ctx.actor.userId, cookieRefreshToken);
  }

  async me(ctx: RequestContext): Promise<Schemas['Me']> {
    const tenant = await this.repo.findTenant(ctx, ctx.tenant);
    if (!tenant) throw new AuthenticationError();
    // A personal token acts for its customer user: "me" is that user.
    if (ctx.actor.kind === 'user' || ctx.actor.kind === 'customer_token') {
      const user = await this.repo.findUser(ctx, ctx.actor.userId);
      if (!user) throw new AuthenticationError();
      return { kind: 'user', tenant: toTenant(tenant), mode: ctx.mode, user: toUser(user) };
    }
    if (ctx.actor.kind === 'api_key') {
      const key = await this.repo.findApiKey(ctx, ctx.actor.keyId);
      if (!key) throw new AuthenticationError();
      return { kind: 'api_key', tenant: toTenant(tenant), mode: ctx.mode, api_key: toApiKey(key) };
    }
    // An OAuth app: what it acts as — the tenant and mode above, the client, the consent it acts under, its scopes.
    if (ctx.actor.kind === 'oauth_app') {
      const { actor } = ctx;
      return {
        kind: 'oauth_app',
        tenant: toTenant(tenant),
        mode: ctx.mode,
        oauth_app: {
          client_id: actor.clientId, client_name: actor.clientName, authorization_id: actor.grantId, user_id: actor.userId,
          scopes: [...(ctx.scopes ?? [])], expires_at: actor.expiresAt.toISOString(),
        },
      };
    }
    throw new AuthenticationError();
  }

  /**
   * Builds the caller's context from `Authorization: Bearer …` (a JWT or an API key, told apart by
   * shape). `clientIp` (the request's address, after TRUST_PROXY_HOPS) is checked against an API
   * key's allowed_ips; a key with an allow-list is refused when it is unknown.
   */
  async authenticate(base: RequestContext, bearer: string, clientIp?: string): Promise<RequestContext> {
    if (looksLikeApiKey(bearer)) return this.authenticateApiKey(base, bearer, clientIp);
    if (bearer.startsWith(OAUTH_ACCESS_TOKEN_PREFIX)) return this.authenticateOAuth(base, bearer);
    const claims = await this.tokens.verifyAccess(base, bearer);
    return base.with({
      tenantId: claims.tid,
      mode: claims.mode,
      actor: {
        kind: 'user', userId: claims.sub, role: claims.role, customerId: claims.cid,
        tokenId: claims.jti, familyId: claims.fam, expiresAt: claims.exp,
      },
      scopes: null,
      limits: await this.limitsFor(base, claims.tid),
    });
  }

  private async authenticateApiKey(base: RequestContext, secret: string, clientIp?: string): Promise<RequestContext> {
    const parsed = parseApiKey(secret);
    const key = parsed ? await this.verifiedKey(base, parsed.lookup) : null;
    if (!key || key.secretHash !== sha256(secret) || key.mode !== parsed?.mode) {
      throw new AuthenticationError('API key is invalid or revoked');
    }
    // The message names the rule, never the list: a stolen key must not tell where it would work.
    if (key.allowedIps && (!clientIp || !ipAllowed(clientIp, key.allowedIps))) {
      throw new AuthorizationError("This API key's allowed_ips rule does not include the address this request comes from");
    }
    const ctx = base.with({
      tenantId: key.tenantId,
      mode: key.mode,
      actor: key.customerId && key.userId
        ? { kind: 'customer_token', tokenId: key.id, userId: key.userId, customerId: key.customerId, access: key.access }
        : { kind: 'api_key', keyId: key.id, access: key.access },
      scopes: key.scopes,
      limits: { ...(await this.limitsFor(base, key.tenantId)), credential: key.rateLimits },
    });
    await this.touch(ctx, key.id);
    return ctx;
  }

  /**
   * An OAuth access token, checked by its issuer on every request (so revocation is read at once).
   * A token from a user's consent lives only while that user is still an owner or admin of the
   * tenant: a deleted or demoted user takes the apps it authorized with it, as it takes its sessions.
   */
  private async authenticateOAuth(base: RequestContext, token: string): Promise<RequestContext> {
    const access = await this.bindings.one<OAuthAccessTokens>(OAUTH_ACCESS_TOKENS)?.verify(base, token);
    if (!access) throw new AuthenticationError('OAuth access token is invalid, expired or revoked');
    const ctx = base.with({
      tenantId: access.tenantId,
      mode: access.mode,
      actor: {
        kind: 'oauth_app', clientId: access.clientId, clientName: access.clientName, tokenId: access.tokenId,
        grantId: access.grantId, userId: access.userId, expiresAt: access.expiresAt,
      },
      scopes: access.scopes,
      limits: await this.limitsFor(base, access.tenantId),
    });
    if (access.userId) {
      const role = await this.currentRole(ctx, access.userId);
      if (role !== 'owner' && role !== 'admin') throw new AuthenticationError('OAuth access token is invalid, expired or revoked');
    }
    return ctx;
  }

  /**
   * The live key with this lookup, verified, or null. From the cache once it is in step with the
   * database (every change committed before this request is applied to it, on this replica as on
   * any other), else from the database. A personal token lives only as long as its user stays a
   * `customer` login of the same customer: a deleted user, or one moved to another role or
   * customer record, takes its tokens with it at once (the user's change is announced too).
   */
  private async verifiedKey(base: RequestContext, lookup: string): Promise<VerifiedKey | null> {
    const cached = (await this.credentials.sync()) ? this.credentials.key(lookup) : undefined;
    return cached ?? this.credentials.loadKey(lookup, async () => {
      const row = await this.repo.findActiveApiKeyByLookup(base, lookup);
      if (!row) return null;
      if (row.customerId) {
        const user = row.userId ? await this.repo.findUser(base.with({ tenantId: row.tenantId, mode: row.mode }), row.userId) : null;
        if (!user || user.role !== 'customer' || user.customerId !== row.customerId) {
          throw new AuthenticationError('API key is invalid or revoked');
        }
      }
      return verifiedKeyOf(row);
    });
  }

  /**
   * last_used_at is written at most once a minute per key, not on every request: whoever sets the
   * Redis marker (SET NX, 60 s) writes it. The marker's remaining life comes back in the same round
   * trip, and until it ends this process sends nothing for the key — whether it set the marker or
   * another replica did (without that, every replica but the one that won would send a SET NX on
   * every request). last_used_at is informational: while Redis is unreachable (a restart) the
   * request goes on without it, and the marker is not tried again for a few seconds.
   */
  private async touch(ctx: RequestContext, keyId: string): Promise<void> {
    const now = Date.now();
    if ((this.touchedUntil.get(keyId) ?? 0) > now) return;
    const marker = `apikey:touched:${keyId}`;
    const answers = await withTimeout(
      this.redis.pipeline().set(marker, '1', 'EX', LAST_USED_WRITE_EVERY_SECONDS, 'NX').pttl(marker).exec(),
      TOUCH_REDIS_TIMEOUT_MS,
    ).catch(() => null);
    const [set, ttl] = answers ?? [];
    if (!set || !ttl || set[0] || ttl[0]) {
      this.rememberTouched(keyId, now + TOUCH_RETRY_AFTER_MS);
      return;
    }
    const remainingMs = Number(ttl[1]);
    this.rememberTouched(keyId, now + (remainingMs > 0 ? remainingMs : 0));
    if (set[1] === 'OK') await this.repo.touchApiKey(ctx, keyId);
  }

  private rememberTouched(keyId: string, until: number): void {
    // Bounded: expired entries are dropped once the map grows, so idle keys do not accumulate.
    if (this.touchedUntil.size >= 10_000) {
      const now = Date.now();
      for (const [id, t] of this.touchedUntil) if (t <= now) this.touchedUntil.delete(id);
    }
    this.touchedUntil.set(keyId, until);
  }

  /** Drops cached plan limits at once in this process (after an operator moves a tenant or edits a plan); the change's announcement reaches the others. */
  forgetLimits(tenantId?: string): void {
    this.credentials.forget(tenantId ?? EVERY_TENANT);
  }

  /**
   * The tenant's limits: its plan's, with the tenant's own per-minute overrides (rate_limit_reads /
   * rate_limit_writes) on top and the configured defaults where the plan leaves the minute open.
   * Cached per process until the tenant or a plan changes (CredentialCache).
   */
  private async limitsFor(base: RequestContext, tenantId: string): Promise<RateLimits> {
    const cached = this.credentials.tenantLimits(tenantId);
    if (cached) return cached;
    return this.credentials.loadLimits(tenantId, async () => {
      const tenant = await this.repo.findTenant(base, tenantId);
      if (!tenant) throw new AuthenticationError('The tenant of this credential no longer exists');
      const plan = await this.repo.findPlanByName(base, tenant.plan);
      return {
        readsPerMinute: tenant.rateLimitReads ?? plan?.readsPerMinute ?? this.config.RATE_LIMIT_READS_PER_MINUTE,
        writesPerMinute: tenant.rateLimitWrites ?? plan?.writesPerMinute ?? this.config.RATE_LIMIT_WRITES_PER_MINUTE,
        readsPerHour: plan?.readsPerHour ?? null,
        readsPerDay: plan?.readsPerDay ?? null,
        writesPerHour: plan?.writesPerHour ?? null,
        writesPerDay: plan?.writesPerDay ?? null,
        burstFactor: plan?.burstFactor ?? 2,
      };
    });
  }
}

function verifiedKeyOf(row: ApiKeyEntity): VerifiedKey {
  return {
    id: row.id, tenantId: row.tenantId, mode: row.mode, secretHash: row.secretHash, access: row.access, scopes: row.scopes,
    allowedIps: row.allowedIps, rateLimits: row.rateLimits, userId: row.userId, customerId: row.customerId,
  };
}

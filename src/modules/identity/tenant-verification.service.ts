import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError, ConflictError, DomainError, NotFoundError, RateLimitError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { PortBindings } from '../../platform/ports/port-bindings';
import { REDIS } from '../../platform/redis/redis.module';
import { IdentityRepository } from './identity.repository';
import { sha256 } from './secrets';
import { VERIFICATION_MAILER, type VerificationMailer } from './verification-mail.port';

/** What an unverified tenant is refused, with the way out in the message. */
export class TenantNotVerifiedError extends AuthorizationError {
  constructor(what: string) {
    super(`${what} needs a verified owner e-mail address: follow the link sent at sign-up (POST /api/v1/tenants/verification-email sends a new one). Test mode works meanwhile.`);
  }
}

/**
 * Verified owners (issue 23): sign-up mails the owner a link (a random token, stored only as its
 * SHA-256, expiring after SIGNUP_VERIFICATION_TTL_HOURS); until it is followed the tenant works in
 * test mode only — live keys and live mail answer 403. SIGNUP_VERIFICATION=false (closed
 * deployments) and the operator CLI create tenants verified.
 */
@Injectable()
export class TenantVerificationService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly tx: TransactionService,
    private readonly bindings: PortBindings,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether new self-service tenants start unverified. */
  get required(): boolean {
    return this.config.SIGNUP_VERIFICATION;
  }

  async isVerified(ctx: RequestContext): Promise<boolean> {
    const tenant = await this.repo.findTenant(ctx, ctx.tenant);
    return !!tenant?.emailVerifiedAt;
  }

  /** 403 for live `what` (live keys, live mail) while the tenant is unverified. */
  async assertLiveAllowed(ctx: RequestContext, what: string): Promise<void> {
    if (ctx.mode === 'live' && !(await this.isVerified(ctx))) throw new TenantNotVerifiedError(what);
  }

  /** Mints a link and mails it to `to` (inside the caller's transaction: a sign-up that fails sends nothing). */
  async sendLink(ctx: RequestContext, to: string, tenantName: string): Promise<Schemas['TenantVerification']> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.SIGNUP_VERIFICATION_TTL_HOURS * 3_600_000);
    const liveCtx = ctx.with({ tenantId: ctx.tenant, mode: 'live' });
    await this.repo.setVerificationToken(liveCtx, sha256(token), expiresAt);
    const mailer = this.bindings.one<VerificationMailer>(VERIFICATION_MAILER);
    if (!mailer) throw new DomainError('service_unavailable', 'e-mail is not available to send the verification link');
    const base = (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    await mailer.sendVerificationLink(liveCtx, {
      to, tenantName, expiresAt,
      url: `${base}/api/v1/tenants/verify-email?token=${token}`,
      dedupeKey: `tenant-verification:${sha256(token).slice(0, 32)}`,
    });
    return { tenant_id: ctx.tenant, email_verified: false, link_expires_at: expiresAt.toISOString() };
  }

  /** `GET /tenants/verify-email`: one use, before expiry; anything else is the same 404. */
  async verify(ctx: RequestContext, token: string): Promise<Schemas['TenantVerification']> {
    const tenantId = await this.repo.verifyTenantByTokenHash(ctx, sha256(token), this.clock.now());
    if (!tenantId) throw new NotFoundError('verification link (invalid, used or expired; ask for a new one)');
    return { tenant_id: tenantId, email_verified: true, link_expires_at: null };
  }

  /** `POST /tenants/verification-email`: a new link to the first owner, a few times an hour. */
  async resend(ctx: RequestContext): Promise<Schemas['TenantVerification']> {
    const tenant = await this.repo.findTenant(ctx, ctx.tenant);
    if (!tenant) throw new NotFoundError('tenant', ctx.tenant);
    if (tenant.emailVerifiedAt) throw new ConflictError('The owner e-mail address is already verified');
    const key = `tenant-verification:resend:${ctx.tenant}`;
    const [count, ttl] = (await this.redis.eval(
      `local n = redis.call('INCR', KEYS[1]) if n == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], 3600) end return {n, redis.call('TTL', KEYS[1])}`,
      1, key,
    )) as [number, number];
    if (count > this.config.SIGNUP_VERIFICATION_RESENDS_PER_HOUR) throw new RateLimitError(Math.max(1, ttl));
    const [owner] = await this.repo.userEmailsByRoles(ctx, ['owner']);
    return this.tx.run(ctx, (txCtx) => this.sendLink(txCtx, owner, tenant.name));
  }
}

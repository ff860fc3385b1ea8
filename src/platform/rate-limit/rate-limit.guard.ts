import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_POLICY, type AuthPolicy } from '../auth/auth.decorator';
import { Clock } from '../clock/clock';
import { contextOf } from '../context/ctx.decorator';
import type { RateLimits } from '../context/request-context';
import { RateLimitError } from '../errors/domain-errors';
import { BURST_FACTOR, RateLimitService, type RateLimitKind, type RateLimitResult } from './rate-limit.service';
import { windowChecks, type WindowSubject } from './rate-limit-windows';
import { WindowLimiter, type WindowsResult } from './window-limiter';
import { withTimeout } from './with-timeout';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long a rate-limit check may wait on Redis before the request goes through unchecked. */
export const REDIS_TIMEOUT_MS = 500;
/** At most one "Redis unavailable" warning per this many ms, so an outage does not flood the log. */
const WARN_EVERY_MS = 10_000;

/**
 * Counts every API request against its credential's bucket (per API key, per user for JWTs; per
 * client IP on public routes such as login and sign-up) and answers 429 when it is empty. Must run
 * after the auth guard, which puts the request context on the request. Routes without an access
 * policy (health, metrics, docs) are not limited and get no headers.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger('RateLimit');
  private lastWarnAt = 0;

  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimitService,
    private readonly windows: WindowLimiter,
    private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [context.getHandler(), context.getClass()]);
    if (!policy) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const ctx = contextOf(request);
    const kind: RateLimitKind = WRITE_METHODS.has(request.method.toUpperCase()) ? 'write' : 'read';
    const credential = ctx.credentialId;
    if (credential && ctx.tenantId && ctx.limits) {
      return this.checkCredential(reply, { kind, credential, tenantId: ctx.tenantId, mode: ctx.mode }, ctx.limits);
    }
    const bucketKey = credential ? `${kind}:${credential}` : `${kind}:ip:${request.ip}`;
    const perMinute =
      (kind === 'write' ? ctx.limits?.writesPerMinute : ctx.limits?.readsPerMinute) ?? this.rateLimits.defaultPerMinute(kind);

    let result: RateLimitResult;
    try {
      result = await withTimeout(this.rateLimits.consume(bucketKey, perMinute), REDIS_TIMEOUT_MS);
    } catch (err) {
      // Fail open: when Redis is down or slow, serving requests unlimited for a while is better than
      // refusing every request of every tenant. The counters resume as soon as Redis answers again.
      // The headers then advertise the nominal limit with nothing counted.
      this.warn(err);
      const capacity = Math.max(1, Math.floor(BURST_FACTOR * perMinute));
      result = { allowed: true, limit: capacity, perMinute, remaining: capacity, resetAt: Math.ceil(Date.now() / 1000), retryAfterSeconds: 0 };
    }

    reply.header('X-RateLimit-Limit', String(result.limit));
    reply.header('X-RateLimit-Remaining', String(result.remaining));
    reply.header('X-RateLimit-Reset', String(result.resetAt));
    if (!result.allowed) throw new RateLimitError(result.retryAfterSeconds);
    return true;
  }

  /**
   * An authenticated request counts against its credential's windows and its tenant's (per mode), so
   * more keys do not mean more capacity; the headers report the tightest window, a 429 names it.
   */
  private async checkCredential(reply: FastifyReply, subject: WindowSubject, limits: RateLimits): Promise<boolean> {
    const checks = windowChecks(subject, limits, this.clock.now().getTime());
    let result: WindowsResult;
    try {
      result = await withTimeout(this.windows.consume(checks, this.clock.now().getTime()), REDIS_TIMEOUT_MS);
    } catch (err) {
      this.warn(err);
      const first = checks[0];
      const limit = first.kind === 'bucket' ? first.capacity : first.limit;
      result = { allowed: true, tightest: { check: first, limit, remaining: limit, resetAt: Math.ceil(Date.now() / 1000), retryAfterSeconds: 0 } };
    }
    const { tightest } = result;
    reply.header('X-RateLimit-Limit', String(tightest.limit));
    reply.header('X-RateLimit-Remaining', String(tightest.remaining));
    reply.header('X-RateLimit-Reset', String(tightest.resetAt));
    if (!result.allowed) throw new RateLimitError(tightest.retryAfterSeconds, tightest.check.label);
    return true;
  }

  private warn(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    const message = err instanceof Error ? err.message : String(err);
    this.logger.warn(`Rate limiting skipped, Redis unavailable: ${message}`);
  }
}

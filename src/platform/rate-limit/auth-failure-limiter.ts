import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RateLimitError } from '../errors/domain-errors';
import { REDIS_TIMEOUT_MS } from './rate-limit.guard';
import { RateLimitService, type RateLimitResult } from './rate-limit.service';
import { withTimeout } from './with-timeout';

const WARN_EVERY_MS = 10_000;

/**
 * The per-client-IP bucket of requests that fail authentication (no credential, a forged or
 * revoked token, an unknown API key). Only failures draw from it, so an honest client behind a
 * busy address is never charged for its own authenticated traffic; but once an address has spent
 * the bucket, everything it sends that would need a credential lookup waits (429) — checked
 * before the lookup, so a flood of random keys costs Redis round trips, not database queries.
 * The bucket lives in Redis, shared by every API replica; when Redis fails it fails open, as the
 * credential limits do.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly logger = new Logger('RateLimit');
  private lastWarnAt = 0;

  constructor(private readonly rateLimits: RateLimitService) {}

  /** 429 (with the bucket's headers) when `ip` has no failed attempt left; nothing is taken. */
  async assertOpen(ip: string, reply: FastifyReply): Promise<void> {
    const result = await this.step('peek', ip);
    if (result && !result.allowed) this.refuse(result, reply);
  }

  /** Charges one failed attempt to `ip`; throws 429 instead when the bucket was already empty. */
  async recordFailure(ip: string, reply: FastifyReply): Promise<void> {
    const result = await this.step('consume', ip);
    if (!result) return;
    setHeaders(reply, result);
    if (!result.allowed) throw new RateLimitError(result.retryAfterSeconds);
  }

  private refuse(result: RateLimitResult, reply: FastifyReply): never {
    setHeaders(reply, result);
    throw new RateLimitError(result.retryAfterSeconds);
  }

  private async step(op: 'peek' | 'consume', ip: string): Promise<RateLimitResult | null> {
    try {
      return await withTimeout(this.rateLimits[op](`authfail:ip:${ip}`, this.rateLimits.unauthenticatedPerMinute()), REDIS_TIMEOUT_MS);
    } catch (err) {
      const now = Date.now();
      if (now - this.lastWarnAt >= WARN_EVERY_MS) {
        this.lastWarnAt = now;
        this.logger.warn(`Failed-authentication limit skipped, Redis unavailable: ${err instanceof Error ? err.message : String(err)}`);
      }
      return null;
    }
  }
}

function setHeaders(reply: FastifyReply, result: RateLimitResult): void {
  reply.header('X-RateLimit-Limit', String(result.limit));
  reply.header('X-RateLimit-Remaining', String(result.remaining));
  reply.header('X-RateLimit-Reset', String(result.resetAt));
}

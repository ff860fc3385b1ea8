import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RateLimitError } from '../errors/domain-errors';
import { REDIS_TIMEOUT_MS } from './rate-limit.guard';
import { RateLimitService, type RateLimitResult } from './rate-limit.service';
import { withTimeout } from './with-timeout';

const WARN_EVERY_MS = 10_000;
/** How long an address seen with tokens to spare skips the up-front check, while nothing fails. */
const OPEN_FOR_MS = 1_000;
const OPEN_MIN_TOKENS = 2;
const MAX_REMEMBERED = 10_000;

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
  /**
   * Address → until when this process skips the up-front check for it. Honest clients send many
   * requests that all succeed; peeking once a second for them instead of on every request keeps the
   * Redis round trip off the API-key hot path. Any failure from the address drops the entry, so
   * from its first failed attempt on a flooding address is checked on every request again; what a
   * stale entry can let through is bounded by the requests already in flight.
   */
  private readonly openUntil = new Map<string, number>();

  constructor(private readonly rateLimits: RateLimitService) {}

  /** 429 (with the bucket's headers) when `ip` has no failed attempt left; nothing is taken. */
  async assertOpen(ip: string, reply: FastifyReply): Promise<void> {
    const now = Date.now();
    if ((this.openUntil.get(ip) ?? 0) > now) return;
    const result = await this.step('peek', ip);
    if (!result) return;
    if (!result.allowed) this.refuse(result, reply);
    if (result.remaining >= OPEN_MIN_TOKENS) this.rememberOpen(ip, now + OPEN_FOR_MS);
  }

  /** Charges one failed attempt to `ip`; throws 429 instead when the bucket was already empty. */
  async recordFailure(ip: string, reply: FastifyReply): Promise<void> {
    this.openUntil.delete(ip);
    const result = await this.step('consume', ip);
    if (!result) return;
    setHeaders(reply, result);
    if (!result.allowed) throw new RateLimitError(result.retryAfterSeconds);
  }

  private rememberOpen(ip: string, until: number): void {
    if (this.openUntil.size >= MAX_REMEMBERED) {
      const now = Date.now();
      for (const [address, t] of this.openUntil) if (t <= now) this.openUntil.delete(address);
      if (this.openUntil.size >= MAX_REMEMBERED) return;
    }
    this.openUntil.set(ip, until);
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

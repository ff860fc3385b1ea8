import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RateLimitError } from '../errors/domain-errors';
import { RateLimitService, type RateLimitResult } from '../rate-limit/rate-limit.service';
import { withTimeout } from '../rate-limit/with-timeout';
import { HOSTED_PAGE_FAMILY } from './hosted-page';

/** How long a check may wait on Redis before the request goes through unchecked. */
const REDIS_TIMEOUT_MS = 500;
const WARN_EVERY_MS = 10_000;

/** The Redis bucket keys of a hosted-page request. The token is hashed: bucket keys are not credentials. */
export function hostedPageBuckets(family: string, token: string, ip: string): { token: string; ip: string } {
  const digest = createHash('sha256').update(token.replace(/\/$/, '')).digest('hex').slice(0, 32);
  return { token: `hosted:${family}:token:${digest}`, ip: `hosted:ip:${ip}` };
}

/**
 * Limits a hosted page per token (one link hammered from many addresses) and per client IP (one
 * address walking many links, e.g. guessing tokens), with the counters in Redis so every API
 * replica shares them. Unknown tokens count too. Refusal throws RateLimitError, which the page's
 * exception filter renders as an HTML 429 with Retry-After. Like the API's guard it fails open when
 * Redis does not answer: the pages keep working through a Redis outage.
 */
@Injectable()
export class HostedPageRateLimitGuard implements CanActivate {
  private readonly logger = new Logger('HostedPageRateLimit');
  private lastWarnAt = 0;

  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimitService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const family = this.reflector.getAllAndOverride<string | undefined>(HOSTED_PAGE_FAMILY, [context.getHandler(), context.getClass()]) ?? 'page';
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { token?: string } }>>();
    const buckets = hostedPageBuckets(family, String(request.params?.token ?? ''), request.ip);
    let results: RateLimitResult[];
    try {
      results = await withTimeout(
        Promise.all([
          this.rateLimits.consume(buckets.token, this.config.HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_TOKEN),
          this.rateLimits.consume(buckets.ip, this.config.HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_IP),
        ]),
        REDIS_TIMEOUT_MS,
      );
    } catch (err) {
      this.warn(err);
      return true;
    }
    const refused = results.filter((r) => !r.allowed);
    if (refused.length > 0) throw new RateLimitError(Math.max(...refused.map((r) => r.retryAfterSeconds)));
    return true;
  }

  private warn(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.lastWarnAt = now;
    this.logger.warn(`Hosted page rate limiting skipped, Redis unavailable: ${err instanceof Error ? err.message : String(err)}`);
  }
}

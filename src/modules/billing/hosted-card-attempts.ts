import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { RequestContext } from '../../platform/context/request-context';
import { withTimeout } from '../../platform/rate-limit/with-timeout';
import { REDIS } from '../../platform/redis/redis.module';

export const CARD_ATTEMPT_WINDOW_SECONDS = 24 * 3600;
const REDIS_TIMEOUT_MS = 500;

/**
 * One atomic step: count the attempt, start the 24 h window on the first one (a key that somehow
 * lost its expiry gets one again), and return {count, seconds left in the window}.
 */
const TAKE_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('TTL', KEYS[1])}
`;

export type CardAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The cap on card payments tried from an invoice's hosted page (HOSTED_PAGE_CARD_ATTEMPTS_PER_DAY
 * within a 24 h window that starts at the first attempt), against card testing: an attacker with a
 * link must not be able to try card after card on it. The counter is in Redis, incremented before
 * the processor is called, so parallel posts and API replicas share it and exactly the cap gets
 * through. Fails open (with a warning) when Redis does not answer, like the request limits.
 */
@Injectable()
export class HostedCardAttempts {
  private readonly logger = new Logger('HostedCardAttempts');

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async take(ctx: RequestContext, invoiceId: string): Promise<CardAttempt> {
    const key = `hosted:card-attempts:${ctx.tenantId}:${ctx.mode}:${invoiceId}`;
    let count: number;
    let ttl: number;
    try {
      [count, ttl] = (await withTimeout(this.redis.eval(TAKE_LUA, 1, key, CARD_ATTEMPT_WINDOW_SECONDS), REDIS_TIMEOUT_MS)) as [number, number];
    } catch (err) {
      this.logger.warn({ request_id: ctx.requestId, err: err instanceof Error ? err.message : String(err) }, 'card attempt cap skipped, Redis unavailable');
      return { allowed: true };
    }
    if (count <= this.config.HOSTED_PAGE_CARD_ATTEMPTS_PER_DAY) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, ttl) };
  }
}

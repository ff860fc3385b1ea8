import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { REDIS } from '../redis/redis.module';

export type RateLimitKind = 'read' | 'write';

export interface RateLimitResult {
  allowed: boolean;
  /**
   * The bucket's capacity: what an idle credential may send at once (2× the per-minute rate). This
   * is what `X-RateLimit-Limit` states, so that `remaining ≤ limit` always holds for a client.
   */
  limit: number;
  /** The sustained rate the bucket refills at, in requests per minute. */
  perMinute: number;
  /** Whole tokens left after this request (what the client may still send right now). */
  remaining: number;
  /** Unix seconds when the bucket is full again (`limit` tokens) if no further request is made. */
  resetAt: number;
  /** 0 when allowed; otherwise whole seconds (≥ 1) until one token is available. */
  retryAfterSeconds: number;
}

/** The bucket holds this many minutes' worth of the per-minute rate: the contract's "bursts up to 2×". */
export const BURST_FACTOR = 2;
export const KEY_PREFIX = 'rl:';

/**
 * One atomic token-bucket step. KEYS[1] = bucket hash {tokens, ts}; ARGV[1] = tokens per minute,
 * ARGV[2] = capacity, ARGV[3] = cost. The clock is the Redis server's (TIME), so API replicas with
 * skewed clocks share one timeline. Returns integers only (Lua numbers returned to Redis are
 * truncated): {allowed 0|1, remaining whole tokens, ms until `cost` tokens, ms until full, server ms}.
 */
export const TOKEN_BUCKET_LUA = `
if redis.replicate_commands then redis.replicate_commands() end
local key = KEYS[1]
local per_ms = tonumber(ARGV[1]) / 60000
local capacity = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
-- A server clock that stepped back (e.g. failover) must not refill twice: never move ts backwards.
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * per_ms)
  ts = now
end
local allowed = 0
local retry_ms = 0
if tokens >= cost then
  allowed = 1
  tokens = tokens - cost
  local full_ms = math.max(1, math.ceil((capacity - tokens) / per_ms))
  redis.call('HSET', key, 'tokens', tokens, 'ts', ts)
  redis.call('PEXPIRE', key, full_ms)
else
  -- Refused: state unchanged (refilling it from the stored ts next time gives the same result).
  retry_ms = math.ceil((cost - tokens) / per_ms)
end
local full_ms = math.ceil((capacity - tokens) / per_ms)
return {allowed, math.floor(tokens), retry_ms, full_ms, now}
`;

/**
 * The same bucket, read without taking a token: {1 when a token is there, whole tokens, ms until one
 * token, ms until full, server ms}. Writes nothing, so a refused caller never moves the bucket.
 */
export const TOKEN_BUCKET_PEEK_LUA = `
local per_ms = tonumber(ARGV[1]) / 60000
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then tokens = math.min(capacity, tokens + (now - ts) * per_ms) end
local available = 0
local retry_ms = 0
if tokens >= 1 then available = 1 else retry_ms = math.ceil((1 - tokens) / per_ms) end
return {available, math.floor(tokens), retry_ms, math.ceil((capacity - tokens) / per_ms), now}
`;

const COMMAND = 'cbapiRateLimitConsume';
const PEEK_COMMAND = 'cbapiRateLimitPeek';

type ConsumeCommand = (key: string, perMinute: number, capacity: number, cost: number) => Promise<[number, number, number, number, number]>;

/**
 * Token-bucket rate limiting with the counters in Redis, so the limits hold across API replicas.
 * Each bucket refills at `perMinute / 60` tokens per second up to `2 × perMinute` tokens; a
 * request takes one token. Idle buckets expire once they would be full again.
 */
@Injectable()
export class RateLimitService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL (loading the script) on NOSCRIPT.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    if (!(PEEK_COMMAND in redis)) redis.defineCommand(PEEK_COMMAND, { numberOfKeys: 1, lua: TOKEN_BUCKET_PEEK_LUA });
  }

  /** Per client IP, for requests whose credential is missing or fails (see AuthFailureLimiter). */
  unauthenticatedPerMinute(): number {
    return this.config.RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE;
  }

  /** The configured per-minute default for a kind of request, used when the credential's plan sets none. */
  defaultPerMinute(kind: RateLimitKind): number {
    return kind === 'write' ? this.config.RATE_LIMIT_WRITES_PER_MINUTE : this.config.RATE_LIMIT_READS_PER_MINUTE;
  }

  /**
   * Takes one token from the bucket `rl:<bucketKey>`. `limit` in the result is `perMinute`, the
   * sustained rate; the bucket itself allows bursts up to 2× that. Rejects when Redis fails:
   * the caller decides whether to fail open.
   */
  async consume(bucketKey: string, perMinute: number): Promise<RateLimitResult> {
    return this.run(COMMAND, bucketKey, perMinute);
  }

  /**
   * Whether the bucket `rl:<bucketKey>` holds a token, without taking it: `allowed` false means the
   * next consume() would be refused. For checks that must come before costly work.
   */
  async peek(bucketKey: string, perMinute: number): Promise<RateLimitResult> {
    return this.run(PEEK_COMMAND, bucketKey, perMinute);
  }

  private async run(command: string, bucketKey: string, perMinute: number): Promise<RateLimitResult> {
    if (!Number.isFinite(perMinute) || perMinute <= 0) throw new RangeError(`perMinute must be positive, got ${perMinute}`);
    const capacity = Math.max(1, Math.floor(BURST_FACTOR * perMinute));
    const script = (this.redis as unknown as Record<string, ConsumeCommand>)[command];
    const [allowed, remaining, retryMs, fullMs, nowMs] = await script.call(this.redis, KEY_PREFIX + bucketKey, perMinute, capacity, 1);
    return {
      allowed: allowed === 1,
      limit: capacity,
      perMinute,
      remaining: Math.max(0, remaining),
      resetAt: Math.ceil((nowMs + fullMs) / 1000),
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
    };
  }
}

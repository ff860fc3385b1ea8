import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { KEY_PREFIX } from './rate-limit.service';

/**
 * One limit to check: a token bucket refilling `limit` a minute up to `capacity` (the minute window),
 * or a fixed window of the app clock allowing `limit` requests until `windowEndMs` (hour, day).
 */
export type WindowCheck =
  | { kind: 'bucket'; key: string; label: string; limit: number; capacity: number }
  | { kind: 'fixed'; key: string; label: string; limit: number; windowEndMs: number };

export interface WindowOutcome {
  check: WindowCheck;
  /** What `X-RateLimit-Limit` states for this window: the bucket's capacity, or the window's count. */
  limit: number;
  remaining: number;
  resetAt: number;
  retryAfterSeconds: number;
}

export interface WindowsResult {
  allowed: boolean;
  /** The window with the least left (the refusing one when refused): what the headers report. */
  tightest: WindowOutcome;
}

/**
 * All windows of a request in one atomic step: nothing is taken unless every window has room, so a
 * request refused by its daily cap does not also drain its minute bucket. KEYS[i] is window i;
 * ARGV[1] = the app clock's ms (fixed windows follow the injected clock, so tests can cross an hour
 * without waiting); then per window: kind ('b'|'f'), limit or rate, capacity or window end ms.
 * Buckets refill by the Redis server's clock, shared by every replica. Returns integers:
 * {allowed, then per window: remaining after, ms until room, reset (absolute ms)}.
 */
export const WINDOWS_LUA = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local app_now = tonumber(ARGV[1])
local n = #KEYS
local ok = 1
local state = {}
for i = 1, n do
  local base = 1 + (i - 1) * 3
  local kind = ARGV[base + 1]
  local a = tonumber(ARGV[base + 2])
  local b = tonumber(ARGV[base + 3])
  if kind == 'b' then
    local per_ms = a / 60000
    local s = redis.call('HMGET', KEYS[i], 'tokens', 'ts')
    local tokens = tonumber(s[1])
    local ts = tonumber(s[2])
    if tokens == nil or ts == nil then tokens = b; ts = now end
    if now > ts then tokens = math.min(b, tokens + (now - ts) * per_ms); ts = now end
    if tokens < 1 then ok = 0 end
    state[i] = {kind, tokens, ts, per_ms, b}
  else
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if a - used < 1 then ok = 0 end
    state[i] = {kind, a - used, 0, 0, b}
  end
end
local out = {ok}
for i = 1, n do
  local s = state[i]
  if s[1] == 'b' then
    local tokens = s[2]
    local per_ms = s[4]
    local retry = 0
    if ok == 1 then
      tokens = tokens - 1
      redis.call('HSET', KEYS[i], 'tokens', tokens, 'ts', s[3])
      redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((s[5] - tokens) / per_ms)))
    elseif tokens < 1 then
      retry = math.ceil((1 - tokens) / per_ms)
    end
    table.insert(out, math.floor(tokens))
    table.insert(out, retry)
    table.insert(out, now + math.ceil((s[5] - tokens) / per_ms))
  else
    local left = s[2]
    local retry = 0
    if ok == 1 then
      redis.call('INCR', KEYS[i])
      redis.call('PEXPIRE', KEYS[i], math.max(1000, s[5] - app_now + 1000))
      left = left - 1
    elseif left < 1 then
      retry = math.max(1, s[5] - app_now)
    end
    table.insert(out, math.max(0, left))
    table.insert(out, retry)
    table.insert(out, s[5])
  end
end
return out
`;

const COMMAND = 'cbapiRateLimitWindows';
type WindowsCommand = (...args: (string | number)[]) => Promise<number[]>;

/** Checks and takes one request from several windows at once (per key and per tenant; minute, hour, day). */
@Injectable()
export class WindowLimiter {
  constructor(@Inject(REDIS) private readonly redis: Redis) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: WINDOWS_LUA });
  }

  /** Rejects when Redis fails: the caller decides whether to fail open. */
  async consume(checks: readonly WindowCheck[], appNowMs: number): Promise<WindowsResult> {
    if (checks.length === 0) throw new RangeError('consume needs at least one window');
    const args: (string | number)[] = [checks.length, ...checks.map((c) => KEY_PREFIX + c.key), appNowMs];
    for (const c of checks) {
      if (!Number.isFinite(c.limit) || c.limit <= 0) throw new RangeError(`limit must be positive, got ${c.limit}`);
      args.push(c.kind === 'bucket' ? 'b' : 'f', c.limit, c.kind === 'bucket' ? c.capacity : c.windowEndMs);
    }
    const script = (this.redis as unknown as Record<string, WindowsCommand>)[COMMAND];
    const [allowed, ...rest] = await script.apply(this.redis, args);
    const outcomes = checks.map((check, i): WindowOutcome => {
      const [remaining, retryMs, resetMs] = rest.slice(i * 3, i * 3 + 3);
      return {
        check,
        limit: check.kind === 'bucket' ? check.capacity : check.limit,
        remaining: Math.max(0, remaining),
        resetAt: Math.ceil(resetMs / 1000),
        retryAfterSeconds: retryMs > 0 ? Math.max(1, Math.ceil(retryMs / 1000)) : 0,
      };
    });
    const ok = allowed === 1;
    const tightest = ok
      ? outcomes.reduce((a, b) => (b.remaining < a.remaining ? b : a))
      : outcomes.filter((o) => o.retryAfterSeconds > 0).reduce((a, b) => (b.retryAfterSeconds > a.retryAfterSeconds ? b : a));
    return { allowed: ok, tightest };
  }
}

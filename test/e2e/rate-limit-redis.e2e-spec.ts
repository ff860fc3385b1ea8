import { Logger, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import Redis from 'ioredis';
import { AUTH_POLICY, type AuthPolicy } from '../../src/platform/auth/auth.decorator';
import { parseConfig } from '../../src/config/config';
import { setContext } from '../../src/platform/context/ctx.decorator';
import { RequestContext, type RateLimits } from '../../src/platform/context/request-context';
import { RateLimitError } from '../../src/platform/errors/domain-errors';
import { RateLimitGuard } from '../../src/platform/rate-limit/rate-limit.guard';
import { RateLimitService, type RateLimitResult } from '../../src/platform/rate-limit/rate-limit.service';
import { pause } from '../support/wait';
import { WindowLimiter } from '../../src/platform/rate-limit/window-limiter';
import { Clock } from '../../src/platform/clock/clock';

// Against the real Redis of the test environment: two service instances on two connections play
// two API replicas sharing one bucket, which is what makes the limits hold across replicas.
// The shipped defaults (120 reads, 30 writes a minute), not the test environment's raised ones:
// with 100,000 a minute one token refills in under a millisecond and the bucket key expires at once.
const config = parseConfig({ ...process.env, RATE_LIMIT_READS_PER_MINUTE: '120', RATE_LIMIT_WRITES_PER_MINUTE: '30' });
const run = `${Date.now()}${process.pid}`;

describe('rate limits in Redis (e2e)', () => {
  let redisA: Redis;
  let redisB: Redis;
  let replicaA: RateLimitService;
  let replicaB: RateLimitService;

  /** Alternates requests between the two replicas. */
  const consumeOn = (i: number, key: string, perMinute: number) => (i % 2 === 0 ? replicaA : replicaB).consume(key, perMinute);
  const serverNowMs = async () => {
    const [s, us] = await redisA.time();
    return Number(s) * 1000 + Math.floor(Number(us) / 1000);
  };

  beforeAll(() => {
    redisA = new Redis(config.REDIS_URL);
    redisB = new Redis(config.REDIS_URL);
    replicaA = new RateLimitService(redisA, config);
    replicaB = new RateLimitService(redisB, config);
  });

  afterAll(async () => {
    const keys = await redisA.keys(`rl:*${run}*`);
    if (keys.length) await redisA.del(...keys);
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  describe('RateLimitService', () => {
    it('allows a 2× burst across replicas, counts down exactly, then refuses', async () => {
      const key = `test:${run}:burst`;
      const results: RateLimitResult[] = [];
      // Sequential: at 0.5 tokens/s the refill stays below one token as long as these 61 round
      // trips take under 2 s, so the counts are exact.
      for (let i = 0; i < 61; i++) results.push(await consumeOn(i, key, 30));
      const now = await serverNowMs();

      const first60 = results.slice(0, 60);
      expect(first60.every((r) => r.allowed)).toBe(true);
      expect(first60.map((r) => r.remaining)).toEqual(Array.from({ length: 60 }, (_, i) => 59 - i));
      expect(first60.every((r) => r.limit === 60 && r.perMinute === 30 && r.retryAfterSeconds === 0)).toBe(true);

      const refused = results[60];
      expect(refused).toMatchObject({ allowed: false, limit: 60, perMinute: 30, remaining: 0 });
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(2);
      expect(refused.resetAt).toBeGreaterThan(now / 1000);
      expect(refused.resetAt).toBeLessThanOrEqual(Math.ceil(now / 1000) + 120);

      // The state is a hash that expires once it would be full again, so idle buckets vanish.
      const state = await redisA.hgetall(`rl:${key}`);
      expect(Object.keys(state).sort()).toEqual(['tokens', 'ts']);
      const ttl = await redisA.pttl(`rl:${key}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(120_000);
    });

    it('allows exactly the capacity under 100 concurrent requests from two replicas', async () => {
      const key = `test:${run}:concurrent`;
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => consumeOn(i, key, 25)));
      const allowed = results.filter((r) => r.allowed);
      expect(allowed).toHaveLength(50);
      // Every token was handed out once: the remaining counts are 49 … 0, each exactly once.
      expect(allowed.map((r) => r.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(results.filter((r) => !r.allowed).every((r) => r.retryAfterSeconds >= 1)).toBe(true);
    });

    it('refills at perMinute / 60 tokens per second', async () => {
      const key = `test:${run}:refill`;
      const perMinute = 6000; // 100 tokens/s = 0.1 per ms, capacity 12,000
      const perMs = perMinute / 60_000;

      // Drain the bucket: batches until one request is refused. After that refusal the bucket held
      // less than one token.
      let lastBatchSentAt = 0;
      for (let drained = false; !drained; ) {
        lastBatchSentAt = Date.now();
        const batch = await Promise.all(Array.from({ length: 2000 }, (_, i) => consumeOn(i, key, perMinute)));
        drained = batch.some((r) => !r.allowed);
      }
      const drainedAt = Date.now();
      // Elapsed time is the subject here (the bucket refills with time): a fixed window, not a wait for a condition.
      await pause(300);
      // More requests than could possibly have refilled, so the burst empties the bucket again.
      const burstSize = Math.ceil(perMs * (Date.now() - lastBatchSentAt)) + 100;
      const burst = await Promise.all(Array.from({ length: burstSize }, (_, i) => consumeOn(i, key, perMinute)));
      const burstDoneAt = Date.now();
      const allowed = burst.filter((r) => r.allowed).length;
      expect(burst.some((r) => !r.allowed)).toBe(true);

      // Bounds that hold however slow the machine is (no assertion on speed):
      // - floor: the server ran the last drain request before `drainedAt` and the first burst
      //   request after the 300 ms sleep, so at least 300 ms × 0.1/ms = 30 tokens came back (29
      //   allowing for a timer firing 1 ms early; 28 leaves a token for rounding);
      // - ceiling: the refused drain request ran after `lastBatchSentAt` and left < 1 token; the
      //   burst ran before `burstDoneAt`, so at most 1 + 0.1/ms × that span were available.
      // On an idle machine that is about 30 … 40; a stalled machine widens the ceiling, not the floor.
      expect(drainedAt).toBeGreaterThanOrEqual(lastBatchSentAt);
      expect(allowed).toBeGreaterThanOrEqual(28);
      expect(allowed).toBeLessThanOrEqual(Math.ceil(perMs * (burstDoneAt - lastBatchSentAt)) + 1);
    });

    it('peeks at a bucket without taking a token, and sees it empty once drained', async () => {
      const key = `test:${run}:peek`;
      for (let i = 0; i < 5; i++) expect(await replicaB.peek(key, 2)).toMatchObject({ allowed: true, remaining: 4 });
      for (let i = 0; i < 4; i++) expect((await consumeOn(i, key, 2)).allowed).toBe(true);
      const empty = await replicaA.peek(key, 2);
      expect(empty).toMatchObject({ allowed: false, limit: 4, perMinute: 2, remaining: 0 });
      expect(empty.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(empty.retryAfterSeconds).toBeLessThanOrEqual(30);
      expect((await replicaB.consume(key, 2)).allowed).toBe(false);
    });

    it('rejects a non-positive rate', async () => {
      await expect(replicaA.consume(`test:${run}:bad`, 0)).rejects.toThrow(RangeError);
    });
  });

  describe('RateLimitGuard', () => {
    let warn: jest.SpyInstance;
    beforeAll(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterAll(() => warn.mockRestore());

    const guard = () => new RateLimitGuard(new Reflector(), replicaA, new WindowLimiter(redisA), new Clock());
    const route = (policy?: AuthPolicy) => {
      const handler = () => undefined;
      if (policy) SetMetadata(AUTH_POLICY, policy)(handler);
      return handler;
    };

    function call(g: RateLimitGuard, opts: { method: string; policy?: AuthPolicy; ctx?: RequestContext; ip?: string }) {
      const headers: Record<string, string> = {};
      const request = { id: 'req_test', method: opts.method, ip: opts.ip ?? '127.0.0.1' };
      if (opts.ctx) setContext(request, opts.ctx);
      const reply = {
        header(name: string, value: string) {
          headers[name] = value;
          return reply;
        },
      };
      class Controller {}
      const context = {
        getHandler: () => route(opts.policy),
        getClass: () => Controller,
        switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
      } as unknown as ExecutionContext;
      return { result: g.canActivate(context), headers };
    }

    const apiKey = (keyId: string, limits?: RateLimits) =>
      new RequestContext('req_test', `ten_${run}`, 'live', { kind: 'api_key', keyId, access: 'read_write' }, null, undefined, limits);

    it('skips routes without an access policy, with no headers', async () => {
      const { result, headers } = call(guard(), { method: 'GET' });
      await expect(result).resolves.toBe(true);
      expect(headers).toEqual({});
    });

    it('limits writes per credential with the plan limits, sets the headers, and answers 429 with Retry-After', async () => {
      const g = guard();
      const ctx = apiKey(`key_${run}`, { readsPerMinute: 5, writesPerMinute: 2 });
      const policy: AuthPolicy = { resource: 'products', access: 'write' };
      for (const expected of [3, 2, 1, 0]) {
        const { result, headers } = call(g, { method: 'POST', policy, ctx });
        await expect(result).resolves.toBe(true);
        expect(headers['X-RateLimit-Limit']).toBe('4'); // the capacity: 2 × 2 a minute
        expect(headers['X-RateLimit-Remaining']).toBe(String(expected));
        expect(Number(headers['X-RateLimit-Reset'])).toBeGreaterThan(Date.now() / 1000 - 5);
      }
      const over = call(g, { method: 'DELETE', policy, ctx });
      const err = await over.result.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RateLimitError);
      expect((err as RateLimitError).status).toBe(429);
      expect(Number((err as RateLimitError).headers['Retry-After'])).toBeGreaterThanOrEqual(1);
      expect(over.headers['X-RateLimit-Remaining']).toBe('0');

      // Reads have their own bucket: 2 × 5 capacity, one used.
      const read = call(g, { method: 'GET', policy: { resource: 'products', access: 'read' }, ctx });
      await expect(read.result).resolves.toBe(true);
      expect(read.headers).toMatchObject({ 'X-RateLimit-Limit': '10', 'X-RateLimit-Remaining': '9' });
      expect(await redisA.exists(`rl:write:key_${run}`, `rl:read:key_${run}`)).toBe(2);
    });

    it('uses the configured defaults when the credential has no plan limits', async () => {
      const ctx = new RequestContext('req_test', 'ten_test', 'live', {
        kind: 'user', userId: `usr_${run}`, role: 'owner', customerId: null, tokenId: 't', familyId: 'f', expiresAt: 0,
      }, null);
      const { result, headers } = call(guard(), { method: 'GET', policy: { resource: 'orders', access: 'read' }, ctx });
      await expect(result).resolves.toBe(true);
      expect(headers['X-RateLimit-Limit']).toBe(String(2 * config.RATE_LIMIT_READS_PER_MINUTE));
      expect(headers['X-RateLimit-Remaining']).toBe(String(2 * config.RATE_LIMIT_READS_PER_MINUTE - 1));
      expect(await redisA.exists(`rl:read:usr_${run}`)).toBe(1);
    });

    it('limits anonymous callers of public routes per client IP', async () => {
      const ip = `192.0.2.${run}`; // not a real address, unique to this run
      const { result, headers } = call(guard(), { method: 'POST', policy: { public: true }, ip });
      await expect(result).resolves.toBe(true);
      expect(headers['X-RateLimit-Limit']).toBe(String(2 * config.RATE_LIMIT_WRITES_PER_MINUTE));
      expect(await redisA.exists(`rl:write:ip:${ip}`)).toBe(1);
    });

    it('fails open, with a warning, when Redis is unreachable', async () => {
      const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 2, enableOfflineQueue: true });
      dead.on('error', () => undefined);
      try {
        const g = new RateLimitGuard(new Reflector(), new RateLimitService(dead, config), new WindowLimiter(dead), new Clock());
        const { result, headers } = call(g, { method: 'POST', policy: { resource: 'orders', access: 'write' }, ctx: apiKey(`key_dead_${run}`) });
        await expect(result).resolves.toBe(true);
        expect(headers['X-RateLimit-Limit']).toBe(String(2 * config.RATE_LIMIT_WRITES_PER_MINUTE));
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('Redis unavailable'));
      } finally {
        dead.disconnect();
      }
    });
  });
});

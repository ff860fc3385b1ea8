import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimitError } from '../../platform/errors/domain-errors';
import { REDIS } from '../../platform/redis/redis.module';

/** Failed logins allowed per window before 429: per account, and (more) per client IP. */
export const LOGIN_FAILURES = { perAccount: 5, perIp: 30, windowSeconds: 900 } as const;

/** Brute-force protection: counts failed logins in Redis so every API replica sees them. */
@Injectable()
export class LoginThrottleService {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  private keys(email: string, ip: string): [string, string] {
    return [`login:fail:acct:${email}`, `login:fail:ip:${ip}`];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const [accountKey, ipKey] = this.keys(email, ip);
    const [account, byIp] = (await this.redis.mget(accountKey, ipKey)).map((v) => Number(v ?? 0));
    const blockedKey = account >= LOGIN_FAILURES.perAccount ? accountKey : byIp >= LOGIN_FAILURES.perIp ? ipKey : null;
    if (blockedKey) {
      const ttl = await this.redis.ttl(blockedKey);
      throw new RateLimitError(ttl > 0 ? ttl : LOGIN_FAILURES.windowSeconds);
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const tx = this.redis.multi();
    for (const key of this.keys(email, ip)) tx.incr(key).expire(key, LOGIN_FAILURES.windowSeconds, 'NX');
    await tx.exec();
  }

  async recordSuccess(email: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(email, ip)[0]);
  }
}

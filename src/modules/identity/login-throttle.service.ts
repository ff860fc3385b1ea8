import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RateLimitError } from '../../platform/errors/domain-errors';
import { REDIS } from '../../platform/redis/redis.module';
import { sha256 } from './secrets';

/**
 * Claims one login attempt, atomically, before the password is checked. KEYS = account counter,
 * IP counter; ARGV = per-account limit, per-IP limit, window seconds. When either counter is at its
 * limit nothing is counted and the reply is {0, ms until that counter expires}; otherwise both are
 * incremented (the window starts with the first attempt) and the reply is {1, 0}. Claiming first
 * is what bounds parallel guessing: of 15 simultaneous attempts only the first 5 get to a check.
 */
const CLAIM_LUA = `
local limits = {tonumber(ARGV[1]), tonumber(ARGV[2])}
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= limits[i] then
    return {0, redis.call('PTTL', KEYS[i])}
  end
end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return {1, 0}
`;

/**
 * A successful login: the account starts afresh, and the attempt it claimed from the IP is handed
 * back (it was not a failure). Never below zero, and never creates a counter that has expired.
 */
const SUCCESS_LUA = `
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
`;

const CLAIM = 'cbapiLoginClaim';
const SUCCESS = 'cbapiLoginSuccess';
type Script = (accountKey: string, ipKey: string, ...args: (string | number)[]) => Promise<[number, number] | number>;

/**
 * Who a login attempt is counted against: a resolved user (by tenant and user id, so no one can
 * lock out a same-e-mail user of another tenant), or, when the e-mail matches no user or several,
 * the e-mail itself — so an unknown address is throttled exactly like a real one.
 */
export type LoginAccount = { tenantId: string; userId: string } | { email: string };

/** Brute-force protection: failed logins counted in Redis, so every API replica sees them. */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    if (!(CLAIM in redis)) redis.defineCommand(CLAIM, { numberOfKeys: 2, lua: CLAIM_LUA });
    if (!(SUCCESS in redis)) redis.defineCommand(SUCCESS, { numberOfKeys: 2, lua: SUCCESS_LUA });
  }

  private keys(account: LoginAccount, ip: string): [string, string] {
    const accountKey = 'userId' in account ? `login:fail:acct:${account.tenantId}:${account.userId}` : `login:fail:email:${sha256(account.email)}`;
    return [accountKey, `login:fail:ip:${ip}`];
  }

  private script(name: string): Script {
    return (this.redis as unknown as Record<string, Script>)[name].bind(this.redis);
  }

  /** Counts this attempt as a failure up front, or throws 429 when the account or the IP is at its limit. */
  async claimAttempt(account: LoginAccount, ip: string): Promise<void> {
    const { LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_IP, LOGIN_FAILURE_WINDOW_SECONDS } = this.config;
    const [allowed, ttlMs] = (await this.script(CLAIM)(
      ...this.keys(account, ip), LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_IP, LOGIN_FAILURE_WINDOW_SECONDS,
    )) as [number, number];
    if (allowed !== 1) throw new RateLimitError(ttlMs > 0 ? Math.ceil(ttlMs / 1000) : LOGIN_FAILURE_WINDOW_SECONDS);
  }

  /** The attempt succeeded: it was not a failure after all. */
  async recordSuccess(account: LoginAccount, ip: string): Promise<void> {
    await this.script(SUCCESS)(...this.keys(account, ip));
  }
}

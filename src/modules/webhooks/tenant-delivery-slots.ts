import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { REDIS } from '../../platform/redis/redis.module';

const COMMAND = 'cbapiTakeDeliverySlot';

/**
 * KEYS[1] the tenant's slot set (member = holder, score = lease end in ms of Redis time);
 * ARGV lease ms, cap, holder. Expired leases (a worker that died mid-delivery) are dropped first.
 * Returns 1 when the holder got a slot, 0 when the tenant is at its cap.
 */
const TAKE_SLOT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

/** Time a slot is held at most: the HTTP timeout plus the database work around one attempt. */
const LEASE_MARGIN_MS = 5_000;

/**
 * A per-tenant semaphore in Redis over in-flight webhook deliveries, shared by every worker: a
 * tenant whose endpoint is slow holds at most WEBHOOK_MAX_IN_FLIGHT_PER_TENANT of the delivery
 * slots, and the others stay free for other tenants. Leases expire, so a killed worker cannot
 * leak a slot for longer than one delivery could have taken.
 */
@Injectable()
export class TenantDeliverySlots {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL (loading the script) on NOSCRIPT.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SLOT_LUA });
  }

  private key(tenantId: string): string {
    return `${this.config.QUEUE_PREFIX}:webhook-slots:${tenantId}`;
  }

  async take(tenantId: string, holder: string): Promise<boolean> {
    const lease = this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
    const run = (this.redis as unknown as Record<string, (key: string, lease: number, cap: number, holder: string) => Promise<number>>)[COMMAND];
    return (await run.call(this.redis, this.key(tenantId), lease, this.config.WEBHOOK_MAX_IN_FLIGHT_PER_TENANT, holder)) === 1;
  }

  async release(tenantId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(tenantId), holder);
  }
}

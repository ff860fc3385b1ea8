import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { REDIS } from '../../platform/redis/redis.module';

const COMMAND = 'cbapiTakeDeliverySlot2';

/**
 * KEYS[1] the tenant's slot set (member = holder, score = lease end in ms of Redis time);
 * ARGV lease ms, cap, holder. Expired leases (a worker that died mid-delivery) are dropped first.
 * A holder that still has its slot gets its lease renewed. Returns 1 when the holder has a slot,
 * 0 when the tenant is at its cap.
 */
const TAKE_SLOT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return 1
`;

/** Time a slot is held at most: the HTTP timeout plus the database work around one attempt. */
const LEASE_MARGIN_MS = 5_000;
/** A job waits in this worker for one of its tenant's slots only when one should come free within this. */
const WORTH_WAITING_MS = 500;
/** …and at most this long; then it is put back (delayed) like a job that did not wait. */
const WAIT_AT_MOST_MS = 1000;
/** How often the waiting jobs of a tenant are reviewed against the age of its running deliveries. */
const REVIEW_EVERY_MS = 50;
/** Weight of the newest delivery in a tenant's running average hold time. */
const AVERAGE_WEIGHT = 0.2;
/** Tenants whose average hold time is remembered. */
const AVERAGES_KEPT = 10_000;

/** One of a tenant's delivery slots, held for one attempt. */
export interface DeliverySlot {
  release(): Promise<void>;
}

interface Holder {
  member: string;
  /** Local time the Redis lease ends at the latest. */
  leaseUntil: number;
  since: number;
}

interface Waiter {
  give(slot: DeliverySlot | null): void;
  timer: NodeJS.Timeout;
}

/** This worker's view of one tenant: the slots it holds and the jobs waiting for one. */
interface LocalTenant {
  held: Set<Holder>;
  waiters: Waiter[];
  /** Runs while jobs wait: sends back those that can no longer expect a slot soon. */
  review?: NodeJS.Timeout;
  /** A request for a free slot in Redis is under way. */
  pulling?: boolean;
}

/**
 * A per-tenant semaphore in Redis over in-flight webhook deliveries, shared by every worker: a
 * tenant whose endpoint is slow holds at most WEBHOOK_MAX_IN_FLIGHT_PER_TENANT of the delivery
 * slots, and the others stay free for other tenants. Leases expire, so a killed worker cannot
 * leak a slot for longer than one delivery could have taken.
 *
 * When all of a tenant's slots are busy, a job waits in this worker — in line behind the tenant's
 * other waiting jobs — only if, by the tenant's recent hold times, a slot of this worker should
 * come free within WORTH_WAITING_MS; a finishing delivery then hands its slot straight to the next
 * in line (no Redis round trip, lease renewed when half spent). Otherwise (a slow endpoint, slots
 * held by other workers) `acquire` answers null at once and the caller puts the job back, so a
 * slow tenant's backlog never sits on the worker's concurrency while other tenants wait.
 */
@Injectable()
export class TenantDeliverySlots {
  private readonly tenants = new Map<string, LocalTenant>();
  /** Running average of how long a delivery holds a slot, by tenant (the tenants seen last). */
  private readonly averageHoldMs = new Map<string, number>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL (loading the script) on NOSCRIPT.
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: TAKE_SLOT_LUA });
  }

  private get leaseMs(): number {
    return this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS;
  }

  private key(tenantId: string): string {
    return `${this.config.QUEUE_PREFIX}:webhook-slots:${tenantId}`;
  }

  /** Takes or renews `member`'s slot in Redis. */
  async take(tenantId: string, member: string): Promise<boolean> {
    const run = (this.redis as unknown as Record<string, (key: string, lease: number, cap: number, holder: string) => Promise<number>>)[COMMAND];
    return (await run.call(this.redis, this.key(tenantId), this.leaseMs, this.config.WEBHOOK_MAX_IN_FLIGHT_PER_TENANT, member)) === 1;
  }

  /** Jobs of the tenant waiting in this worker for one of its slots. */
  waiting(tenantId: string): number {
    return this.tenants.get(tenantId)?.waiters.length ?? 0;
  }

  /** One of the tenant's slots, or null when the job should be put back for later. */
  async acquire(tenantId: string): Promise<DeliverySlot | null> {
    if (this.local(tenantId).waiters.length === 0) {
      const slot = await this.takeNew(tenantId);
      if (slot) return slot;
    }
    const tenant = this.local(tenantId);
    if (!this.worthWaiting(tenantId, tenant, tenant.waiters.length + 1)) {
      this.forgetIfIdle(tenantId);
      return null;
    }
    return new Promise<DeliverySlot | null>((resolve) => {
      const waiter: Waiter = {
        give: resolve,
        timer: setTimeout(() => {
          tenant.waiters.splice(tenant.waiters.indexOf(waiter), 1);
          // A last look: another worker may have freed one of the tenant's slots meanwhile.
          this.takeNew(tenantId).then(
            (slot) => {
              if (!slot) this.forgetIfIdle(tenantId);
              resolve(slot);
            },
            () => resolve(null),
          );
        }, WAIT_AT_MOST_MS),
      };
      tenant.waiters.push(waiter);
      tenant.review ??= setInterval(() => this.review(tenantId, tenant), REVIEW_EVERY_MS).unref();
      // A slot freed while this job asked Redis (no one was waiting yet) is in Redis again: take it.
      void this.pullFreeSlot(tenantId, tenant);
    });
  }

  /**
   * While jobs wait and this worker holds fewer than the cap, asks Redis for a slot for the first
   * in line: one freed by another worker, or by this one before the job lined up.
   */
  private async pullFreeSlot(tenantId: string, tenant: LocalTenant): Promise<void> {
    if (tenant.pulling || tenant.waiters.length === 0 || tenant.held.size >= this.config.WEBHOOK_MAX_IN_FLIGHT_PER_TENANT) return;
    tenant.pulling = true;
    try {
      const slot = await this.takeNew(tenantId);
      if (!slot) return;
      const next = tenant.waiters.shift();
      if (!next) return await slot.release();
      clearTimeout(next.timer);
      next.give(slot);
    } catch {
      // Redis unreachable: the waiting jobs' own deadline decides.
    } finally {
      tenant.pulling = false;
    }
  }

  /**
   * Sends back the waiting jobs that, as the running deliveries age, can no longer expect a slot
   * soon (last in line first): a slow endpoint found out after the jobs lined up keeps them no longer.
   */
  private review(tenantId: string, tenant: LocalTenant): void {
    while (tenant.waiters.length > 0 && !this.worthWaiting(tenantId, tenant, tenant.waiters.length)) {
      const waiter = tenant.waiters.pop()!;
      clearTimeout(waiter.timer);
      waiter.give(null);
    }
    void this.pullFreeSlot(tenantId, tenant);
    if (tenant.waiters.length === 0) {
      clearInterval(tenant.review);
      tenant.review = undefined;
      this.forgetIfIdle(tenantId);
    }
  }

  private async takeNew(tenantId: string): Promise<DeliverySlot | null> {
    const member = randomUUID();
    const leaseUntil = Date.now() + this.leaseMs;
    return (await this.take(tenantId, member)) ? this.hold(tenantId, member, leaseUntil) : null;
  }

  /** Whether the job at `position` in line should wait: the jobs ahead, served by this worker's slots at the tenant's pace. */
  private worthWaiting(tenantId: string, tenant: LocalTenant, position: number): boolean {
    if (tenant.held.size === 0) return false;
    const now = Date.now();
    let oldest = now;
    for (const h of tenant.held) oldest = Math.min(oldest, h.since);
    // The oldest delivery still running is a lower bound of the pace when the average is stale or unknown.
    const holdMs = Math.max(this.averageHoldMs.get(tenantId) ?? 0, now - oldest);
    return (position * holdMs) / tenant.held.size <= WORTH_WAITING_MS;
  }

  private hold(tenantId: string, member: string, leaseUntil: number): DeliverySlot {
    const holder: Holder = { member, leaseUntil, since: Date.now() };
    this.local(tenantId).held.add(holder);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.release(tenantId, holder);
      },
    };
  }

  private async release(tenantId: string, holder: Holder): Promise<void> {
    const tenant = this.local(tenantId);
    tenant.held.delete(holder);
    this.recordHoldTime(tenantId, Date.now() - holder.since);
    const next = tenant.waiters.shift();
    if (!next) {
      this.forgetIfIdle(tenantId);
      await this.redis.zrem(this.key(tenantId), holder.member);
      return;
    }
    clearTimeout(next.timer);
    let leaseUntil = holder.leaseUntil;
    if (leaseUntil - Date.now() < this.leaseMs / 2) {
      // The next delivery may take the whole HTTP timeout: renew before handing over a half-spent lease.
      leaseUntil = Date.now() + this.leaseMs;
      if (!(await this.take(tenantId, holder.member).catch(() => false))) {
        next.give(null);
        this.forgetIfIdle(tenantId);
        return;
      }
    }
    next.give(this.hold(tenantId, holder.member, leaseUntil));
  }

  private recordHoldTime(tenantId: string, heldMs: number): void {
    const average = this.averageHoldMs.get(tenantId);
    this.averageHoldMs.delete(tenantId); // re-inserted last: the map drops the tenants idle longest
    this.averageHoldMs.set(tenantId, average === undefined ? heldMs : average + AVERAGE_WEIGHT * (heldMs - average));
    if (this.averageHoldMs.size > AVERAGES_KEPT) this.averageHoldMs.delete(this.averageHoldMs.keys().next().value!);
  }

  private local(tenantId: string): LocalTenant {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { held: new Set(), waiters: [] };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  private forgetIfIdle(tenantId: string): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant && tenant.held.size === 0 && tenant.waiters.length === 0) this.tenants.delete(tenantId);
  }
}

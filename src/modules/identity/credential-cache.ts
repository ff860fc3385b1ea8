import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Mode, RateLimits, WindowLimitName } from '../../platform/context/request-context';
import { CredentialChangeFeed, EVERY_TENANT } from './credential-change-feed';

/** What authentication needs of an API key (or personal token) row, once verified. */
export interface VerifiedKey {
  id: string;
  tenantId: string;
  mode: Mode;
  secretHash: string;
  access: 'read_only' | 'read_write';
  scopes: string[] | null;
  allowedIps: string[] | null;
  rateLimits: Partial<Record<WindowLimitName, number>> | null;
  userId: string | null;
  customerId: string | null;
}

/** An upper bound only: a change is forgotten when it commits (see CredentialChangeFeed); this caps what a bug could keep. */
const KEY_TTL_MS = 5_000;
const LIMITS_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Verified API keys (by lookup) and tenants' rate limits, kept in process so that an API-key
 * request costs no SQL. Every committed change to keys, users, tenants or plans is announced by
 * PostgreSQL (CredentialChangeFeed) and drops what this process holds for that tenant.
 *
 * Two rules keep it exact. A reader syncs with the feed before it trusts an entry (`sync()`), so
 * what it reads reflects every change committed before its request arrived, on every replica.
 * And an entry read from the database is kept only when no change was announced, and the feed
 * never went down, since the read began (`load*()`): a read that raced a change is used once,
 * never cached. While the feed is down nothing is cached or trusted.
 */
@Injectable()
export class CredentialCache implements OnApplicationShutdown {
  private readonly keys = new LRUCache<string, VerifiedKey>({ max: MAX_ENTRIES, ttl: KEY_TTL_MS });
  private readonly limits = new LRUCache<string, RateLimits>({ max: MAX_ENTRIES, ttl: LIMITS_TTL_MS });
  /** Database reads of keys under way, by lookup: requests arriving meanwhile share them while nothing changed. */
  private readonly loading = new Map<string, { ticket: number | null; key: Promise<VerifiedKey | null> }>();
  private readonly feed: CredentialChangeFeed;
  /** Bumped on every announcement and every change of the feed's state: a ticket from before is void. */
  private generation = 0;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.feed = new CredentialChangeFeed(config.DATABASE_URL, {
      live: () => this.reset(),
      lost: () => this.reset(),
      changed: (tenant) => this.forget(tenant),
    });
  }

  /** True once the cache reflects every change committed before this call; false: do not trust it now. */
  sync(): Promise<boolean> {
    return this.feed.sync();
  }

  /** Taken before a database read whose result may be remembered; null while nothing may be. */
  private ticket(): number | null {
    if (!this.feed.isLive) {
      this.feed.start();
      return null;
    }
    return this.generation;
  }

  /** A key verified since the last sync, or undefined. Call only after sync() resolved true. */
  key(lookup: string): VerifiedKey | undefined {
    return this.feed.isLive ? this.keys.get(lookup) : undefined;
  }

  /**
   * The key `load` reads from the database, remembered unless a change raced the read. A caller
   * that has just synced may share a read of the same lookup already under way if no change was
   * announced since it began: that read then reflects every change committed before the call
   * (one it missed would have been announced by the sync). So an expiring hot key costs one read.
   */
  loadKey(lookup: string, load: () => Promise<VerifiedKey | null>): Promise<VerifiedKey | null> {
    const ticket = this.ticket();
    const running = this.loading.get(lookup);
    if (running && ticket !== null && running.ticket === ticket) return running.key;
    const key = load().then((loaded) => {
      if (loaded && this.stillCurrent(ticket)) this.keys.set(lookup, loaded);
      return loaded;
    });
    const entry = { ticket, key };
    this.loading.set(lookup, entry);
    const done = () => {
      if (this.loading.get(lookup) === entry) this.loading.delete(lookup);
    };
    key.then(done, done);
    return key;
  }

  /**
   * A tenant's limits, or undefined. Without a sync first they may be behind by the time an
   * announcement takes to arrive (well under a millisecond): fine for rate limits, not for keys.
   */
  tenantLimits(tenantId: string): RateLimits | undefined {
    return this.feed.isLive ? this.limits.get(tenantId) : undefined;
  }

  /** The tenant's limits from `load` (a database read), remembered unless a change raced the read. */
  async loadLimits(tenantId: string, load: () => Promise<RateLimits>): Promise<RateLimits> {
    const ticket = this.ticket();
    const limits = await load();
    if (this.stillCurrent(ticket)) this.limits.set(tenantId, limits);
    return limits;
  }

  /** Drops what this process holds for `tenant` (EVERY_TENANT: every tenant's limits). */
  forget(tenant: string): void {
    this.generation += 1;
    if (tenant === EVERY_TENANT) {
      this.limits.clear();
      return;
    }
    this.limits.delete(tenant);
    const stale: string[] = [];
    for (const [lookup, key] of this.keys.entries()) if (key.tenantId === tenant) stale.push(lookup);
    for (const lookup of stale) this.keys.delete(lookup);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }

  private stillCurrent(ticket: number | null): boolean {
    return ticket !== null && ticket === this.generation && this.feed.isLive;
  }

  private reset(): void {
    this.generation += 1;
    this.keys.clear();
    this.limits.clear();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../platform/clock/clock';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { REDIS } from '../../platform/redis/redis.module';
import { RETENTION_POLICY, type RetentionPolicy } from './retention-policy.port';

/** Redis hash of rows deleted per kind since the Redis was created: the metric's source, shared by every worker. */
export const RETENTION_TOTALS_KEY = 'retention:deleted';
const DAY_MS = 86_400_000;

/**
 * Daily (SCHEDULED_JOBS): every retention policy deletes what is past its retention, batch by
 * batch (each batch its own short statement, so no long transaction and no long lock). Totals
 * are added to a Redis hash that `/metrics` reports as `retention_rows_deleted_total{kind}`.
 * Safe to run twice or concurrently: a row deleted by one run is simply not found by the other.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  policies(): RetentionPolicy[] {
    return this.discovery
      .getProviders()
      .filter((w) => w.metatype && w.instance && Reflect.getMetadata(RETENTION_POLICY, w.metatype) === true)
      .map((w) => w.instance as RetentionPolicy);
  }

  /** Returns rows deleted per kind in this run. */
  @JobHandler('maintenance', 'purge-retention')
  async purge(data: { batch_size?: number } = {}): Promise<Record<string, number>> {
    const limit = Number.isInteger(data?.batch_size) && data.batch_size! > 0 ? data.batch_size! : this.config.RETENTION_BATCH_SIZE;
    const now = this.clock.now().getTime();
    const totals: Record<string, number> = {};
    for (const policy of this.policies()) {
      const before = new Date(now - policy.retentionDays() * DAY_MS);
      let total = 0;
      for (;;) {
        const deleted = await policy.purgeBatch(before, limit);
        total += deleted;
        if (deleted > 0) await this.redis.hincrby(RETENTION_TOTALS_KEY, policy.kind, deleted);
        if (deleted !== limit) break; // fewer: done; more would be a policy ignoring its limit, never loop on it
      }
      totals[policy.kind] = total;
    }
    const summary = Object.entries(totals).filter(([, n]) => n > 0);
    if (summary.length > 0) this.logger.log({ deleted: Object.fromEntries(summary) }, 'retention: deleted rows past their retention');
    return totals;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Events (they carry customer data) are deleted RETENTION_EVENTS_DAYS after they happened, once
 * relayed: an event the relay has not handed on yet is never lost to retention. Crosses tenants:
 * the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class EventsRetention implements RetentionPolicy {
  readonly kind = 'events';

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config.RETENTION_EVENTS_DAYS;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (
         DELETE FROM events WHERE id IN (
            SELECT id FROM events WHERE created_at < $1 AND relayed_at IS NOT NULL LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

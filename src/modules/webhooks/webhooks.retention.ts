import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Webhook deliveries that are finished (succeeded or failed for good) are deleted
 * RETENTION_WEBHOOK_DELIVERIES_DAYS after they were created; a delivery still pending is kept
 * whatever its age. Their HTTP attempts age out by the same rule (WebhookAttemptsRetention): an
 * attempt is never older than its delivery. Crosses tenants: the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class WebhookDeliveriesRetention implements RetentionPolicy {
  readonly kind = 'webhook_deliveries';

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config.RETENTION_WEBHOOK_DELIVERIES_DAYS;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (
         DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending' LIMIT $2
         ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

/** HTTP attempts of webhook deliveries, RETENTION_WEBHOOK_DELIVERIES_DAYS after they were made. */
@Injectable()
@RetentionPolicyProvider()
export class WebhookAttemptsRetention implements RetentionPolicy {
  readonly kind = 'webhook_attempts';

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config.RETENTION_WEBHOOK_DELIVERIES_DAYS;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (
         DELETE FROM webhook_attempts WHERE id IN (
            SELECT id FROM webhook_attempts WHERE created_at < $1 LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

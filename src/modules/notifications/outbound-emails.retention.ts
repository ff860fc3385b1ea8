import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Outbound e-mails (recipients and template data are personal data) are deleted
 * RETENTION_OUTBOUND_EMAILS_DAYS after they were created, unless still queued. Crosses tenants:
 * the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class OutboundEmailsRetention implements RetentionPolicy {
  readonly kind = 'outbound_emails';

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config.RETENTION_OUTBOUND_EMAILS_DAYS;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (
         DELETE FROM outbound_emails WHERE id IN (
            SELECT id FROM outbound_emails WHERE created_at < $1 AND status <> 'queued' LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

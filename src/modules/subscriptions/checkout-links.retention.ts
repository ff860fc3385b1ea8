import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Hosted checkout links (`/r/{token}`; they carry an e-mail address) are deleted
 * RETENTION_EXPIRED_TOKENS_GRACE_DAYS after they expired. Crosses tenants: the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class CheckoutLinksRetention implements RetentionPolicy {
  readonly kind = 'checkout_links';

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config.RETENTION_EXPIRED_TOKENS_GRACE_DAYS;
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (
         DELETE FROM checkout_links WHERE id IN (
            SELECT id FROM checkout_links WHERE expires_at < $1 LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

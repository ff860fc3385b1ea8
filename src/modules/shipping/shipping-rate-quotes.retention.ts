import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Rate quotes (`rate_…`) serve no purpose once expired (an order can no longer be charged them):
 * deleted RETENTION_EXPIRED_TOKENS_GRACE_DAYS after they expired. Crosses tenants: the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class ShippingRateQuotesRetention implements RetentionPolicy {
  readonly kind = 'shipping_rate_quotes';

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
         DELETE FROM shipping_rate_quotes WHERE (tenant_id, mode, id) IN (
            SELECT tenant_id, mode, id FROM shipping_rate_quotes WHERE expires_at < $1 LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

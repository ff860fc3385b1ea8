import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Hosted pay-link tokens (`/pay/{token}`) are deleted RETENTION_EXPIRED_TOKENS_GRACE_DAYS after
 * they expired — except each invoice's newest token, which its `hosted_invoice_url` is derived
 * from (`POST /invoices/{id}/send` replaces it with a fresh one). Crosses tenants: the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class PayLinkTokensRetention implements RetentionPolicy {
  readonly kind = 'pay_link_tokens';

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
         DELETE FROM invoice_page_tokens WHERE id IN (
            SELECT t.id FROM invoice_page_tokens t
             WHERE t.expires_at < $1
               AND EXISTS (SELECT 1 FROM invoice_page_tokens newer
                            WHERE newer.tenant_id = t.tenant_id AND newer.mode = t.mode
                              AND newer.invoice_id = t.invoice_id AND newer.created_at > t.created_at)
             LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

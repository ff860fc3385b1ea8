import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RetentionPolicyProvider, type RetentionPolicy } from '../retention/retention-policy.port';

/**
 * Refresh tokens are deleted RETENTION_EXPIRED_TOKENS_GRACE_DAYS after they expired: an expired
 * token is refused anyway, so reuse detection loses nothing. Crosses tenants: the worker's cleanup.
 */
@Injectable()
@RetentionPolicyProvider()
export class RefreshTokensRetention implements RetentionPolicy {
  readonly kind = 'refresh_tokens';

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
         DELETE FROM refresh_tokens WHERE id IN (
            SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2
          ) RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

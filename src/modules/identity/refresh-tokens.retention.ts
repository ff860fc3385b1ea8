import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Refresh tokens are deleted RETENTION_EXPIRED_TOKENS_GRACE_DAYS after they expired: an expired
 * token is refused anyway, so reuse detection loses nothing. Crosses tenants: the worker's cleanup.
 */
@RetentionPolicyProvider()
export class RefreshTokensRetention extends BatchDeleteRetention {
  readonly kind = 'refresh_tokens';
  protected readonly retentionSetting = 'RETENTION_EXPIRED_TOKENS_GRACE_DAYS';
  protected readonly table = 'refresh_tokens';
  protected readonly idsPastRetention = 'SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2';
}

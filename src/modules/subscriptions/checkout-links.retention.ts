import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Hosted checkout links (`/r/{token}`; they carry an e-mail address) are deleted
 * RETENTION_EXPIRED_TOKENS_GRACE_DAYS after they expired. Crosses tenants: the worker's cleanup.
 */
@RetentionPolicyProvider()
export class CheckoutLinksRetention extends BatchDeleteRetention {
  readonly kind = 'checkout_links';
  protected readonly retentionSetting = 'RETENTION_EXPIRED_TOKENS_GRACE_DAYS';
  protected readonly table = 'checkout_links';
  protected readonly idsPastRetention = 'SELECT id FROM checkout_links WHERE expires_at < $1 LIMIT $2';
}

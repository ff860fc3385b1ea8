import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Hosted pay-link tokens (`/pay/{token}`) are deleted RETENTION_EXPIRED_TOKENS_GRACE_DAYS after
 * they expired — except each invoice's newest token, which its `hosted_invoice_url` is derived
 * from (`POST /invoices/{id}/send` replaces it with a fresh one). Crosses tenants: the worker's cleanup.
 */
@RetentionPolicyProvider()
export class PayLinkTokensRetention extends BatchDeleteRetention {
  readonly kind = 'pay_link_tokens';
  protected readonly retentionSetting = 'RETENTION_EXPIRED_TOKENS_GRACE_DAYS';
  protected readonly table = 'invoice_page_tokens';
  protected readonly idsPastRetention = `SELECT t.id FROM invoice_page_tokens t
      WHERE t.expires_at < $1
        AND EXISTS (SELECT 1 FROM invoice_page_tokens newer
                     WHERE newer.tenant_id = t.tenant_id AND newer.mode = t.mode
                       AND newer.invoice_id = t.invoice_id AND newer.created_at > t.created_at)
      LIMIT $2`;
}

import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Outbound e-mails (recipients and template data are personal data) are deleted
 * RETENTION_OUTBOUND_EMAILS_DAYS after they were created, unless still queued. Crosses tenants:
 * the worker's cleanup.
 */
@RetentionPolicyProvider()
export class OutboundEmailsRetention extends BatchDeleteRetention {
  readonly kind = 'outbound_emails';
  protected readonly retentionSetting = 'RETENTION_OUTBOUND_EMAILS_DAYS';
  protected readonly table = 'outbound_emails';
  protected readonly idsPastRetention = `SELECT id FROM outbound_emails WHERE created_at < $1 AND status <> 'queued' LIMIT $2`;
}

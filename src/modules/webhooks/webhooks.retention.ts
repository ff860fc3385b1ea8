import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Webhook deliveries that are finished (succeeded or failed for good) are deleted
 * RETENTION_WEBHOOK_DELIVERIES_DAYS after they were created; a delivery still pending is kept
 * whatever its age. Their HTTP attempts age out by the same rule (WebhookAttemptsRetention): an
 * attempt is never older than its delivery. Crosses tenants: the worker's cleanup.
 */
@RetentionPolicyProvider()
export class WebhookDeliveriesRetention extends BatchDeleteRetention {
  readonly kind = 'webhook_deliveries';
  protected readonly retentionSetting = 'RETENTION_WEBHOOK_DELIVERIES_DAYS';
  protected readonly table = 'webhook_deliveries';
  protected readonly idsPastRetention = `SELECT id FROM webhook_deliveries WHERE created_at < $1 AND status <> 'pending' LIMIT $2`;
}

/** HTTP attempts of webhook deliveries, RETENTION_WEBHOOK_DELIVERIES_DAYS after they were made. */
@RetentionPolicyProvider()
export class WebhookAttemptsRetention extends BatchDeleteRetention {
  readonly kind = 'webhook_attempts';
  protected readonly retentionSetting = 'RETENTION_WEBHOOK_DELIVERIES_DAYS';
  protected readonly table = 'webhook_attempts';
  protected readonly idsPastRetention = 'SELECT id FROM webhook_attempts WHERE created_at < $1 LIMIT $2';
}

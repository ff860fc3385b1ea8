import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * Events (they carry customer data) are deleted RETENTION_EVENTS_DAYS after they happened, once
 * relayed: an event the relay has not handed on yet is never lost to retention. Crosses tenants:
 * the worker's cleanup.
 */
@RetentionPolicyProvider()
export class EventsRetention extends BatchDeleteRetention {
  readonly kind = 'events';
  protected readonly retentionSetting = 'RETENTION_EVENTS_DAYS';
  protected readonly table = 'events';
  protected readonly idsPastRetention = 'SELECT id FROM events WHERE created_at < $1 AND relayed_at IS NOT NULL LIMIT $2';
}

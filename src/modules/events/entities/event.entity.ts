import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * The outbox: one row per state change, inserted in the same transaction as the change, so an
 * event exists exactly when its change committed. `relayed_at` is set by the worker's relay once
 * every subscriber took the event; a failing subscriber dead-letters only its own event.
 */
@Entity('events')
@Index('idx_events_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_events_tenant_type', ['tenantId', 'mode', 'type', 'createdAt'])
export class EventEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'jsonb' }) data: { object: Record<string, unknown> };
  @Index('idx_events_unrelayed', { where: 'relayed_at IS NULL' })
  @Column({ name: 'relayed_at', type: 'timestamptz', precision: 3, nullable: true })
  relayedAt: Date | null;
  /** Failed relay attempts: a subscriber threw; the event waits for `relay_retry_at`, then runs again. */
  @Column({ name: 'relay_attempts', type: 'integer', default: 0 }) relayAttempts: number;
  /** The last failure, `<subscriber>: <message>`, with anything secret-looking redacted. */
  @Column({ name: 'relay_error', type: 'text', nullable: true }) relayError: string | null;
  @Column({ name: 'relay_retry_at', type: 'timestamptz', precision: 3, nullable: true }) relayRetryAt: Date | null;
  /** Subscribers that still owe this event their work (null = all); a retry runs only these. */
  @Column({ name: 'relay_pending', type: 'text', array: true, nullable: true }) relayPending: string[] | null;
  /** Set when the relay gave up after EVENT_RELAY_MAX_ATTEMPTS failures: the event is dead-lettered. */
  @Column({ name: 'dead_lettered_at', type: 'timestamptz', precision: 3, nullable: true }) deadLetteredAt: Date | null;
  /** W3C traceparent of the span that recorded the event (null without tracing): the relay and the jobs it makes continue that trace. */
  @Column({ name: 'trace_parent', type: 'text', nullable: true }) traceParent: string | null;
  @CreatedAt() createdAt: Date;
}

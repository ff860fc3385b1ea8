import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type OutboundEmailStatus = 'queued' | 'sent' | 'recorded' | 'failed';

/**
 * One e-mail the API decided to send. The row is the source of truth; the `mail:send` job only
 * carries its id. `dedupe_key` is unique per tenant and mode, so the same alert or invoice mail
 * is inserted once however often the caller retries. Test-mode mail is `recorded` (never sent)
 * unless a sandbox SMTP server is configured.
 */
@Entity('outbound_emails')
@Index('uq_outbound_emails_dedupe', ['tenantId', 'mode', 'dedupeKey'], { unique: true })
@Index('idx_outbound_emails_queued', ['createdAt'], { where: `status = 'queued'` })
export class OutboundEmailEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) template: string;
  @Column({ type: 'text', array: true }) recipients: string[];
  @Column({ type: 'text' }) subject: string;
  /** The template's input, rendered again by the worker. */
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @Column({ name: 'dedupe_key', type: 'text' }) dedupeKey: string;
  @Column({ type: 'text', default: 'queued' }) status: OutboundEmailStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'message_id', type: 'text', nullable: true }) messageId: string | null;
  /** A worker's claim while it talks to the SMTP server; an expired claim may be taken over. */
  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true }) lockedUntil: Date | null;
  /** The row counted against the tenant's send quota already (at enqueue for the send route, else when first sent). */
  @Column({ name: 'quota_taken', type: 'boolean', default: false }) quotaTaken: boolean;
  /** Over the send quota: the row waits (still queued) until this time, then the requeue sweep wakes it. */
  @Column({ name: 'deferred_until', type: 'timestamptz', precision: 3, nullable: true }) deferredUntil: Date | null;
  @CreatedAt() createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true }) sentAt: Date | null;
}

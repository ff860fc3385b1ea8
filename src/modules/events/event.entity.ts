import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../database/columns';
import type { Mode } from '../../platform/context/request-context';

/**
 * The outbox: one row per state change, inserted in the same transaction as the change, so an
 * event exists exactly when its change committed. `relayed_at` is set by the worker's relay.
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
  @CreatedAt() createdAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event for one endpoint; unique per pair, so relaying an event twice cannot deliver it twice. */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_endpoint_event', ['tenantId', 'mode', 'endpointId', 'eventId'], { unique: true })
@Index('idx_webhook_deliveries_endpoint', ['tenantId', 'mode', 'endpointId', 'createdAt', 'id'])
@Index('idx_webhook_deliveries_pending', ['nextAttemptAt'], { where: `status = 'pending'` })
export class WebhookDeliveryEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'endpoint_id', type: 'text' }) endpointId: string;
  @Column({ name: 'event_id', type: 'text' }) eventId: string;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ type: 'text', default: 'pending' }) status: DeliveryStatus;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'max_attempts', type: 'integer' }) maxAttempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'last_status_code', type: 'integer', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

@Entity('webhook_endpoints')
@Index('idx_webhook_endpoints_tenant', ['tenantId', 'mode', 'createdAt', 'id'])
export class WebhookEndpointEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) url: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  /** Event types, or `*` for all. */
  @Column({ type: 'text', array: true }) events: string[];
  /** Kept to sign deliveries; shown to the user only when created. */
  @Column({ type: 'text' }) secret: string;
  @Column({ type: 'boolean', default: true }) active: boolean;
  @Column({ name: 'disabled_reason', type: 'text', nullable: true }) disabledReason: string | null;
  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true }) deletedAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

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

/** Every HTTP attempt of a delivery, for the deliveries log. */
@Entity('webhook_attempts')
@Index('idx_webhook_attempts_delivery', ['deliveryId', 'attempt'])
export class WebhookAttemptEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @Column({ name: 'delivery_id', type: 'text' }) deliveryId: string;
  @Column({ type: 'integer' }) attempt: number;
  @Column({ name: 'status_code', type: 'integer', nullable: true }) statusCode: number | null;
  @Column({ name: 'latency_ms', type: 'integer' }) latencyMs: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'response_excerpt', type: 'text', nullable: true }) responseExcerpt: string | null;
  @CreatedAt() createdAt: Date;
}

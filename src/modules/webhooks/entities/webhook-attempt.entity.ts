import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, TenantColumn } from '../../../database/columns';

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

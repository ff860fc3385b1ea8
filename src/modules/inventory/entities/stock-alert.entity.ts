import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type AlertState = 'ok' | 'low' | 'out';

/**
 * A low-stock threshold on a product (all locations, or one). `state` is the last state the alert
 * was evaluated to, so each crossing emits its event once and later changes while below do not.
 */
@Entity('stock_alerts')
@Index('idx_stock_alerts_product', ['tenantId', 'mode', 'productId', 'createdAt', 'id'])
export class StockAlertEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ name: 'location_id', type: 'text', nullable: true }) locationId: string | null;
  @Column({ type: 'integer' }) threshold: number;
  @Column({ type: 'text', default: 'ok' }) state: AlertState;
  @CreatedAt() createdAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type MovementKind = 'adjustment' | 'reservation' | 'release' | 'commit' | 'commit_reversal';

/**
 * The stock ledger: one row per change of a level, never updated or deleted. For every level,
 * the sum of `quantity_on_hand_delta` is its `on_hand` and the sum of `quantity_reserved_delta`
 * its `reserved`.
 */
@Entity('stock_movements')
@Index('idx_stock_movements_product', ['tenantId', 'mode', 'productId', 'createdAt', 'id'])
@Index('idx_stock_movements_reference', ['tenantId', 'mode', 'reference'], { where: 'reference IS NOT NULL' })
export class StockMovementEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ name: 'variant_key', type: 'text', default: '' }) variantKey: string;
  @Column({ name: 'location_id', type: 'text' }) locationId: string;
  @Column({ type: 'text' }) kind: MovementKind;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'quantity_on_hand_delta', type: 'integer' }) quantityOnHandDelta: number;
  @Column({ name: 'quantity_reserved_delta', type: 'integer' }) quantityReservedDelta: number;
  @Column({ type: 'text', nullable: true }) note: string | null;
  /** What caused the change outside an adjustment: an order id, a transfer id. */
  @Column({ type: 'text', nullable: true }) reference: string | null;
  @CreatedAt() createdAt: Date;
}

import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * How much of a product (or one of its variants) one location holds. `variant_key` is the
 * variant id, or '' for the product itself, so the key never holds a NULL. The CHECKs are the
 * last line of defence; the service's guarded UPDATEs are what keep stock from going negative.
 */
@Entity('stock_levels')
@Check('chk_stock_levels_on_hand_nonnegative', '"on_hand" >= 0')
@Check('chk_stock_levels_reserved_nonnegative', '"reserved" >= 0')
@Check('chk_stock_levels_reserved_le_on_hand', '"reserved" <= "on_hand"')
@Index('idx_stock_levels_location', ['tenantId', 'mode', 'locationId'])
export class StockLevelEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_stock_levels' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_stock_levels' }) mode: Mode;
  @PrimaryColumn({ name: 'product_id', type: 'text', primaryKeyConstraintName: 'pk_stock_levels' }) productId: string;
  @PrimaryColumn({ name: 'variant_key', type: 'text', default: '', primaryKeyConstraintName: 'pk_stock_levels' }) variantKey: string;
  @PrimaryColumn({ name: 'location_id', type: 'text', primaryKeyConstraintName: 'pk_stock_levels' }) locationId: string;
  @Column({ name: 'on_hand', type: 'integer', default: 0 }) onHand: number;
  @Column({ type: 'integer', default: 0 }) reserved: number;
  @UpdatedAt() updatedAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Attributes } from './product.entity';

/** A variant of a product (size, color…). Its SKU is unique among the variants of a tenant and mode. */
@Entity('product_variants')
@Index('uq_product_variants_tenant_mode_sku', ['tenantId', 'mode', 'sku'], { unique: true })
@Index('idx_product_variants_product', ['tenantId', 'mode', 'productId', 'createdAt'])
export class VariantEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ type: 'text' }) sku: string;
  /** Overrides the product's price when set. */
  @MoneyColumn({ nullable: true }) price: number | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) attributes: Attributes;
  @Column({ type: 'text', nullable: true }) image: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

import { Check, Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import { bigintMoney } from '../../../platform/money/money';

export type ProductStatus = 'active' | 'draft' | 'archived';
export type ProductType = 'single' | 'subscription';
export type Attributes = Record<string, string | number | boolean>;

/**
 * A product of a tenant's catalog, per mode. Deleting archives it (status `archived`), so orders
 * that reference it keep their row. `stock` is the sum of available units (on_hand - reserved) over
 * the product's stock levels, kept by the inventory module in the statement that changes a level.
 *
 * `search_vector` is filled by the repository in the same statement batch as every insert/update
 * (to_tsvector('simple', name || description || sku)). Its GIN index cannot be declared reliably
 * through TypeORM, so it is marked `synchronize: false` here and created by the migration:
 *   CREATE INDEX idx_products_search ON products USING GIN (search_vector)
 */
@Entity('products')
@Index('uq_products_tenant_mode_sku', ['tenantId', 'mode', 'sku'], { unique: true })
@Index('uq_products_tenant_mode_label', ['tenantId', 'mode', 'labelName'], { unique: true })
@Index('idx_products_name', ['tenantId', 'mode', 'name', 'id'])
@Index('idx_products_price', ['tenantId', 'mode', 'price', 'id'])
@Index('idx_products_stock', ['tenantId', 'mode', 'stock', 'id'])
@Index('idx_products_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_products_updated', ['tenantId', 'mode', 'updatedAt', 'id'])
@Index('idx_products_search', { synchronize: false })
@Check('chk_products_stock_nonnegative', '"stock" >= 0')
export class ProductEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) sku: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @MoneyColumn() price: number;
  @Column({ type: 'text', default: 'usd' }) currency: string;
  @Column({ type: 'text', default: 'active' }) status: ProductStatus;
  @Column({ type: 'text', default: 'single' }) type: ProductType;
  /** A subscription product's label, for `GET /tiers/{subscription_label_name}`; unique per tenant and mode. */
  @Column({ name: 'label_name', type: 'text', nullable: true }) labelName: string | null;
  /** Tagged for the public-URL resolver: only these products (single or subscription) get checkout links. */
  @Column({ name: 'saas_only', type: 'boolean', default: false }) saasOnly: boolean;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) categories: string[];
  @Column({ type: 'jsonb', default: () => "'[]'" }) images: string[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) attributes: Attributes;
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, string>;
  /**
   * Read-only through the API and never written by save() (`update: false`): only the inventory
   * repository's level-changing statements move it, by the same delta as the level's available units.
   */
  @Column({ type: 'bigint', default: 0, update: false, transformer: bigintMoney }) stock: number;
  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

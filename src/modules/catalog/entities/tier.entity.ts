import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type BillingCycle = 'monthly' | 'quarterly' | 'yearly';

/** A price tier of a subscription product; `label_name` is unique per product. */
@Entity('product_tiers')
@Index('uq_product_tiers_product_label', ['tenantId', 'mode', 'productId', 'labelName'], { unique: true })
@Index('idx_product_tiers_product', ['tenantId', 'mode', 'productId'])
export class TierEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ name: 'label_name', type: 'text' }) labelName: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @MoneyColumn() price: number;
  @Column({ type: 'text', default: 'usd' }) currency: string;
  @Column({ name: 'billing_cycle', type: 'text' }) billingCycle: BillingCycle;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) features: string[];
  @Column({ name: 'is_popular', type: 'boolean', default: false }) isPopular: boolean;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

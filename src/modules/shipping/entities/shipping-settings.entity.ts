import { Column, Entity, PrimaryColumn } from 'typeorm';
import { UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';

/** A tenant's shipping settings per mode; absent until first changed (the defaults apply). */
@Entity('shipping_settings')
export class ShippingSettingsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_shipping_settings' }) tenantId: string;
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_shipping_settings' }) mode: Mode;
  @Column({ type: 'jsonb', nullable: true }) origin: Schemas['ShippingAddress'] | null;
  /** The table-rate carrier's dimensional divisor, cm³ per kg (= mm³ per g). */
  @Column({ name: 'dimensional_divisor', type: 'integer', default: 5000 }) dimensionalDivisor: number;
  /** `[{currency, min_subtotal}]`, one per currency. */
  @Column({ name: 'free_shipping_thresholds', type: 'jsonb', default: () => "'[]'" }) freeShippingThresholds: Schemas['FreeShippingThreshold'][];
  @UpdatedAt() updatedAt: Date;
}

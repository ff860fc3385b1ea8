import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * A customer's saved card (`pm_…`). The number is never stored: brand, last4, expiry and the
 * processor's reusable reference only (the sandbox's encodes just the test card's behaviour, e.g.
 * `test:succeeds`). At most one default per customer, kept by a partial unique index.
 */
@Entity('payment_methods')
@Index('idx_payment_methods_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
@Index('uq_payment_methods_default', ['tenantId', 'mode', 'customerId'], { unique: true, where: '"is_default"' })
export class PaymentMethodEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) brand: string;
  @Column({ type: 'text' }) last4: string;
  @Column({ name: 'exp_month', type: 'integer' }) expMonth: number;
  @Column({ name: 'exp_year', type: 'integer' }) expYear: number;
  @Column({ name: 'processor_ref', type: 'text' }) processorRef: string;
  @Column({ name: 'is_default', type: 'boolean', default: false }) isDefault: boolean;
  @CreatedAt() createdAt: Date;
}

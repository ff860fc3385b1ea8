import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export const CUSTOMER_STATUSES = ['active', 'archived'] as const;
/** `archived`: kept with its history but no longer current; what to do when a customer cannot be deleted. */
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/**
 * A buyer or hosting client. Belongs to one tenant and one mode (live and sandbox never mix).
 * `account_ref_id` is the external reference of the billing APIs: unique per tenant and mode when set.
 * (A GIN index on `tags` for the `tags` filter is optional and left to the migration: TypeORM cannot declare one.)
 */
@Entity('customers')
@Index('uq_customers_account_ref', ['tenantId', 'mode', 'accountRefId'], { unique: true, where: '"account_ref_id" IS NOT NULL' })
@Index('idx_customers_tenant_email', ['tenantId', 'mode', 'email'])
@Index('idx_customers_tenant_created', ['tenantId', 'mode', 'createdAt', 'id'])
export class CustomerEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  /** Always lower-cased. */
  @Column({ type: 'text' }) email: string;
  @Column({ name: 'first_name', type: 'text' }) firstName: string;
  @Column({ name: 'last_name', type: 'text' }) lastName: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @Column({ type: 'text', nullable: true }) company: string | null;
  @Column({ name: 'account_ref_id', type: 'text', nullable: true }) accountRefId: string | null;
  @Column({ type: 'text', default: 'active' }) status: CustomerStatus;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) tags: string[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) metadata: Record<string, string>;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type AddressKind = 'shipping' | 'billing';

/**
 * A customer's address. Exactly one default per (customer, kind) once the kind has an address:
 * the partial unique index makes two defaults impossible; the service keeps at least one.
 */
@Entity('customer_addresses')
@Index('idx_customer_addresses_customer', ['tenantId', 'mode', 'customerId', 'kind', 'createdAt'])
@Index('uq_customer_addresses_default', ['tenantId', 'mode', 'customerId', 'kind'], { unique: true, where: '"is_default"' })
export class CustomerAddressEntity {
  @IdColumn() id: string;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) kind: AddressKind;
  @Column({ name: 'is_default', type: 'boolean', default: false }) isDefault: boolean;
  @Column({ name: 'first_name', type: 'text', nullable: true }) firstName: string | null;
  @Column({ name: 'last_name', type: 'text', nullable: true }) lastName: string | null;
  @Column({ type: 'text', nullable: true }) company: string | null;
  @Column({ type: 'text' }) line1: string;
  @Column({ type: 'text', nullable: true }) line2: string | null;
  @Column({ type: 'text' }) city: string;
  @Column({ type: 'text', nullable: true }) region: string | null;
  @Column({ name: 'postal_code', type: 'text', nullable: true }) postalCode: string | null;
  /** ISO 3166-1 alpha-2, upper-case. */
  @Column({ type: 'text' }) country: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

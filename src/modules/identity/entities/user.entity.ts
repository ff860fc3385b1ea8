import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Role } from '../../../platform/context/request-context';

/** A person who logs in. Users belong to a tenant, not to a mode: one login reaches live or sandbox. */
@Entity('users')
@Index('uq_users_tenant_email', ['tenantId', 'email'], { unique: true })
@Index('idx_users_email', ['email'])
export class UserEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @Column({ type: 'text' }) email: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ name: 'password_hash', type: 'text' }) passwordHash: string;
  @Column({ type: 'text' }) role: Role;
  /** The customer record a `customer` user is confined to (owned by the customers module). */
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  /**
   * Embedded in every access token (`ver`) and compared on each request: raising it (password,
   * role or customer change) rejects every outstanding access token of the user at once.
   */
  @Column({ name: 'token_version', type: 'integer', default: 0 }) tokenVersion: number;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

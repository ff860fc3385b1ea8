import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode, WindowLimitName } from '../../../platform/context/request-context';

/** A secret key; only a hash is stored, found by its short `lookup` prefix. */
@Entity('api_keys')
@Index('idx_api_keys_tenant', ['tenantId', 'createdAt'])
@Index('idx_api_keys_user', ['tenantId', 'userId', 'createdAt'])
export class ApiKeyEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) name: string;
  @Index('uq_api_keys_lookup', { unique: true })
  @Column({ type: 'text' })
  lookup: string;
  @Column({ name: 'secret_hash', type: 'text' }) secretHash: string;
  @Column({ type: 'text' }) access: 'read_only' | 'read_write';
  @Column({ type: 'text', array: true, nullable: true }) scopes: string[] | null;
  /** A client-portal (personal) token: the `customer` user that made it, and the customer record it sees. Null for API keys. */
  @Column({ name: 'user_id', type: 'text', nullable: true }) userId: string | null;
  @Column({ name: 'customer_id', type: 'text', nullable: true }) customerId: string | null;
  /** CIDR blocks the key may be used from; null = anywhere. */
  @Column({ name: 'allowed_ips', type: 'text', array: true, nullable: true }) allowedIps: string[] | null;
  /** Per-key limits below the tenant plan's, e.g. `{ reads_per_minute: 60 }`; null = the plan's. */
  @Column({ name: 'rate_limits', type: 'jsonb', nullable: true }) rateLimits: Partial<Record<WindowLimitName, number>> | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true }) lastUsedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

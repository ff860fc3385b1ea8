import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, UpdatedAt } from '../../../database/columns';

@Entity('tenants')
export class TenantEntity {
  @IdColumn() id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', default: 'standard' }) plan: string;
  /** Per-tenant overrides of the per-minute rate limits; null uses the defaults. */
  @Column({ name: 'rate_limit_reads', type: 'integer', nullable: true }) rateLimitReads: number | null;
  @Column({ name: 'rate_limit_writes', type: 'integer', nullable: true }) rateLimitWrites: number | null;
  /** When the owner followed the sign-up verification link (or the tenant was created verified); null = test mode only. */
  @Column({ name: 'email_verified_at', type: 'timestamptz', precision: 3, nullable: true }) emailVerifiedAt: Date | null;
  /** SHA-256 of the outstanding verification link's token; the token itself is only in the e-mail. */
  @Index('uq_tenants_verification_token', { unique: true, where: 'verification_token_hash IS NOT NULL' })
  @Column({ name: 'verification_token_hash', type: 'text', nullable: true }) verificationTokenHash: string | null;
  @Column({ name: 'verification_expires_at', type: 'timestamptz', precision: 3, nullable: true }) verificationExpiresAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

import { Column, Entity, Index } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, TenantColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * One refresh token of a login's family. Each refresh marks the token used and issues the next
 * one in the same family; presenting a used token again revokes the family (theft detection),
 * unless it comes within the reuse grace window, which answers with the same successor pair.
 */
@Entity('refresh_tokens')
@Index('idx_refresh_tokens_family', ['familyId'])
@Index('idx_refresh_tokens_user', ['userId'])
export class RefreshTokenEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ name: 'family_id', type: 'text' }) familyId: string;
  @ModeColumn() mode: Mode;
  @Index('uq_refresh_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'used_at', type: 'timestamptz', precision: 3, nullable: true }) usedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  /** Once rotated: the successor pair, encrypted under a key only this token opens (refresh-successor-cipher.ts); dropped after the grace window. */
  @Column({ name: 'successor_sealed', type: 'text', nullable: true }) successorSealed: string | null;
  @CreatedAt() createdAt: Date;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

export type OAuthTokenKind = 'access' | 'refresh';

/**
 * An access or refresh token (only its hash), looked up on every request so revocation is read at
 * once. A refresh token is rotated by one guarded UPDATE of `rotated_at`; presenting it again
 * revokes its grant (reuse detection). Client-credentials tokens have no grant.
 */
@Entity('oauth_tokens')
@Index('idx_oauth_tokens_grant', ['tenantId', 'grantId'])
@Index('idx_oauth_tokens_client', ['clientId'])
/** Retention: a used refresh token ages out with its grant, not by its own expiry, so it is left out here. */
@Index('idx_oauth_tokens_expiry', ['expiresAt'], { where: `kind = 'access' OR rotated_at IS NULL` })
@Index('idx_oauth_tokens_revoked', ['revokedAt'], { where: 'revoked_at IS NOT NULL' })
export class OAuthTokenEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) kind: OAuthTokenKind;
  @Index('uq_oauth_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;
  @Column({ name: 'client_id', type: 'text' }) clientId: string;
  @Column({ name: 'grant_id', type: 'text', nullable: true }) grantId: string | null;
  @Column({ name: 'user_id', type: 'text', nullable: true }) userId: string | null;
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'rotated_at', type: 'timestamptz', precision: 3, nullable: true }) rotatedAt: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

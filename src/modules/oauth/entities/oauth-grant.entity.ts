import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * One consent: a user of the tenant let a client act for it with these scopes. Every token issued
 * from the consent (the code's pair and each rotation) belongs to it, so revoking the grant (the
 * tenant removing the app, or a reused code or refresh token) ends them all at once. The client's
 * name is copied: the client belongs to another tenant, whose rows this tenant cannot read.
 *
 * `expires_at` is when the consent lapses unless the app refreshes: the expiry of its newest refresh
 * token, moved on by each rotation. Until then a used refresh token of the grant must still be
 * recognised (reuse detection); after it (or after revocation) the grant and its tokens age out.
 */
@Entity('oauth_grants')
@Index('idx_oauth_grants_created', ['tenantId', 'createdAt', 'id'])
@Index('idx_oauth_grants_client', ['tenantId', 'clientId'])
/** A deleted client ends its grants in every tenant. */
@Index('idx_oauth_grants_client_active', ['clientId'], { where: 'revoked_at IS NULL' })
@Index('idx_oauth_grants_expiry', ['expiresAt'])
@Index('idx_oauth_grants_revoked', ['revokedAt'], { where: 'revoked_at IS NOT NULL' })
export class OAuthGrantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'client_id', type: 'text' }) clientId: string;
  @Column({ name: 'client_name', type: 'text' }) clientName: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  /** Why it ended: `tenant` (removed by the tenant), `code_reuse`, `refresh_reuse`, `client_deleted`. */
  @Column({ name: 'revoked_reason', type: 'text', nullable: true }) revokedReason: string | null;
  @CreatedAt() createdAt: Date;
}

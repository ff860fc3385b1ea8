import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * An application registered by a tenant (its developer). A confidential client has a secret (only
 * its hash is kept); a public one (a SPA, a native app) has none and must use PKCE. The `mode`
 * says whether its tokens act on live data or on the sandbox.
 */
@Entity('oauth_clients')
@Index('idx_oauth_clients_created', ['tenantId', 'createdAt', 'id'])
export class OAuthClientEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'redirect_uris', type: 'text', array: true }) redirectUris: string[];
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'secret_hash', type: 'text', nullable: true }) secretHash: string | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

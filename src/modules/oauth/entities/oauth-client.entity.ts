import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * An application registered by a tenant (its developer). A confidential client has a secret (only
 * its hash is kept); a public one (a SPA, a native app) has none and must use PKCE. The `mode`
 * says whether its tokens act on live data or on the sandbox.
 *
 * `cors_origins`: the browser origins a public client's single-page app may call the token and
 * revocation endpoints from (the origins of its redirect URIs, fixed at registration; empty for a
 * confidential client). A preflight, which names no client, asks whether any active client has the
 * origin: a GIN index, which TypeORM cannot declare, so it is created by the migration:
 *   CREATE INDEX idx_oauth_clients_cors_origins ON oauth_clients USING GIN (cors_origins) WHERE revoked_at IS NULL
 */
@Entity('oauth_clients')
@Index('idx_oauth_clients_created', ['tenantId', 'createdAt', 'id'])
@Index('idx_oauth_clients_cors_origins', { synchronize: false })
export class OAuthClientEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'redirect_uris', type: 'text', array: true }) redirectUris: string[];
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'cors_origins', type: 'text', array: true, default: () => "'{}'" }) corsOrigins: string[];
  @Column({ name: 'secret_hash', type: 'text', nullable: true }) secretHash: string | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true }) revokedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

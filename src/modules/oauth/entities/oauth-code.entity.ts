import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';

/**
 * An authorization code (only its hash). `consumed_at` is claimed by one guarded UPDATE, so a code
 * is exchanged once; the grant its exchange created is kept so a second use can revoke it.
 */
@Entity('oauth_codes')
@Index('idx_oauth_codes_expiry', ['expiresAt'])
export class OAuthCodeEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId: string;
  @IdColumn() id: string;
  @ModeColumn() mode: Mode;
  @Index('uq_oauth_codes_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'text' })
  codeHash: string;
  @Column({ name: 'client_id', type: 'text' }) clientId: string;
  @Column({ name: 'user_id', type: 'text' }) userId: string;
  @Column({ name: 'redirect_uri', type: 'text' }) redirectUri: string;
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ name: 'code_challenge', type: 'text' }) codeChallenge: string;
  @Column({ name: 'code_challenge_method', type: 'text' }) codeChallengeMethod: string;
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 }) expiresAt: Date;
  @Column({ name: 'consumed_at', type: 'timestamptz', precision: 3, nullable: true }) consumedAt: Date | null;
  @Column({ name: 'grant_id', type: 'text', nullable: true }) grantId: string | null;
  /** A second exchange was tried: set under the row lock, so an exchange still in flight sees it and issues nothing. */
  @Column({ name: 'reused_at', type: 'timestamptz', precision: 3, nullable: true }) reusedAt: Date | null;
  @CreatedAt() createdAt: Date;
}

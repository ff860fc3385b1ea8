import { BatchDeleteRetention, RetentionPolicyProvider } from '../retention/retention-policy.port';

/**
 * What the daily retention job (`maintenance:purge-retention`, in the worker) deletes of OAuth, in
 * batches, across tenants (the `retention` crossing): codes, tokens and ended grants. The policies
 * run in the order the module lists them, tokens before grants, so a grant goes once its tokens have.
 */

/**
 * Authorization codes RETENTION_OAUTH_CODES_DAYS after they expired, used or not. A code is refused
 * once expired before its reuse is looked at, so an expired code's row has nothing left to detect.
 */
@RetentionPolicyProvider()
export class OAuthCodesRetention extends BatchDeleteRetention {
  readonly kind = 'oauth_codes';
  protected readonly retentionSetting = 'RETENTION_OAUTH_CODES_DAYS';
  protected readonly table = 'oauth_codes';
  protected override readonly key = '(tenant_id, id)';
  protected readonly idsPastRetention = 'SELECT tenant_id, id FROM oauth_codes WHERE expires_at < $1 LIMIT $2';
}

/**
 * Access and refresh tokens RETENTION_OAUTH_TOKENS_DAYS after they were revoked or expired — except a
 * used (rotated) refresh token, which is what reuse detection looks for: presenting it again ends its
 * grant, and it must keep doing so while the grant could still be refreshed, however old the token
 * itself is. It goes with its grant: once the grant was revoked or lapsed (its newest refresh token
 * expired) more than the retention ago. Three parts, each through its own index, none overlapping.
 */
@RetentionPolicyProvider()
export class OAuthTokensRetention extends BatchDeleteRetention {
  readonly kind = 'oauth_tokens';
  protected readonly retentionSetting = 'RETENTION_OAUTH_TOKENS_DAYS';
  protected readonly table = 'oauth_tokens';
  protected override readonly key = '(tenant_id, id)';
  protected readonly idsPastRetention = `
    (SELECT tenant_id, id FROM oauth_tokens WHERE revoked_at < $1 LIMIT $2)
    UNION ALL
    (SELECT tenant_id, id FROM oauth_tokens
      WHERE expires_at < $1 AND (kind = 'access' OR rotated_at IS NULL) AND (revoked_at IS NULL OR revoked_at >= $1)
      LIMIT $2)
    UNION ALL
    (SELECT t.tenant_id, t.id FROM oauth_grants g
       JOIN oauth_tokens t ON t.tenant_id = g.tenant_id AND t.grant_id = g.id
      WHERE (g.revoked_at < $1 OR g.expires_at < $1)
        AND t.kind = 'refresh' AND t.rotated_at IS NOT NULL AND (t.revoked_at IS NULL OR t.revoked_at >= $1)
      LIMIT $2)
    LIMIT $2`;
}

/**
 * Grants (consents) RETENTION_OAUTH_TOKENS_DAYS after they ended — revoked, or lapsed because their
 * newest refresh token expired — once none of their tokens is left. They are no longer listed among
 * the tenant's authorized apps by then; a code or token that still names a deleted grant reads as revoked.
 */
@RetentionPolicyProvider()
export class OAuthGrantsRetention extends BatchDeleteRetention {
  readonly kind = 'oauth_grants';
  protected readonly retentionSetting = 'RETENTION_OAUTH_TOKENS_DAYS';
  protected readonly table = 'oauth_grants';
  protected override readonly key = '(tenant_id, id)';
  protected readonly idsPastRetention = `
    SELECT g.tenant_id, g.id FROM oauth_grants g
     WHERE (g.revoked_at < $1 OR g.expires_at < $1)
       AND NOT EXISTS (SELECT 1 FROM oauth_tokens t WHERE t.tenant_id = g.tenant_id AND t.grant_id = g.id)
     LIMIT $2`;
}

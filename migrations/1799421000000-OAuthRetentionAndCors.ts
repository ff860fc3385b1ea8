import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * OAuth follow-ups of issue 21:
 * - `oauth_clients.cors_origins`: the origins of a public client's redirect URIs, which may call the
 *   token and revocation endpoints from a browser (backfilled for the public clients there are), with
 *   a GIN index for preflights, which name no client;
 * - `oauth_grants.expires_at`: when a consent lapses unless refreshed (its newest refresh token's
 *   expiry), so retention can tell a grant that may still be refreshed — whose used refresh tokens
 *   must still be recognised as reuse — from an ended one;
 * - the indexes the retention job and client deletion search by (expiry, revocation, client).
 */
export class OAuthRetentionAndCors1799421000000 implements MigrationInterface {
  name = 'OAuthRetentionAndCors1799421000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "oauth_clients" ADD "cors_origins" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "oauth_grants" ADD "expires_at" TIMESTAMP(3) WITH TIME ZONE`);
    // Row-level security is forced on these tables even for their owner: the backfill reads and writes every tenant's rows.
    await queryRunner.query(`SELECT set_config('app.cross_tenant', 'migration: backfill oauth cors_origins and grant expiry', true)`);
    const publicClients: { tenant_id: string; id: string; redirect_uris: string[] }[] = await queryRunner.query(
      `SELECT tenant_id, id, redirect_uris FROM "oauth_clients" WHERE secret_hash IS NULL`,
    );
    for (const client of publicClients) {
      await queryRunner.query(`UPDATE "oauth_clients" SET "cors_origins" = $3 WHERE tenant_id = $1 AND id = $2`, [
        client.tenant_id, client.id, originsOf(client.redirect_uris),
      ]);
    }
    await queryRunner.query(`
      UPDATE "oauth_grants" g SET "expires_at" = coalesce(
        (SELECT max(t.expires_at) FROM "oauth_tokens" t WHERE t.tenant_id = g.tenant_id AND t.grant_id = g.id AND t.kind = 'refresh'),
        g.created_at)
    `);
    await queryRunner.query(`SELECT set_config('app.cross_tenant', '', true)`);
    await queryRunner.query(`ALTER TABLE "oauth_grants" ALTER COLUMN "expires_at" SET NOT NULL`);

    await queryRunner.query(`CREATE INDEX "idx_oauth_clients_cors_origins" ON "oauth_clients" USING GIN ("cors_origins") WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_grants_client_active" ON "oauth_grants" ("client_id") WHERE revoked_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_grants_expiry" ON "oauth_grants" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_grants_revoked" ON "oauth_grants" ("revoked_at") WHERE revoked_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_codes_expiry" ON "oauth_codes" ("expires_at")`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_tokens_expiry" ON "oauth_tokens" ("expires_at") WHERE kind = 'access' OR rotated_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_tokens_revoked" ON "oauth_tokens" ("revoked_at") WHERE revoked_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'idx_oauth_tokens_revoked', 'idx_oauth_tokens_expiry', 'idx_oauth_codes_expiry', 'idx_oauth_grants_revoked',
      'idx_oauth_grants_expiry', 'idx_oauth_grants_client_active', 'idx_oauth_clients_cors_origins',
    ]) {
      await queryRunner.query(`DROP INDEX "public"."${index}"`);
    }
    await queryRunner.query(`ALTER TABLE "oauth_grants" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "oauth_clients" DROP COLUMN "cors_origins"`);
  }
}

/** The browser origins of redirect URIs (scheme, host, port as a browser sends them in `Origin`), once each. */
function originsOf(redirectUris: string[]): string[] {
  const origins = new Set<string>();
  for (const uri of redirectUris) {
    try {
      origins.add(new URL(uri).origin);
    } catch {
      // registered URIs are absolute URLs; a row that is not stays without CORS
    }
  }
  return [...origins];
}

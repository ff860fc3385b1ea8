import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

const TABLES = ['oauth_clients', 'oauth_grants', 'oauth_codes', 'oauth_tokens'];

/**
 * OAuth 2.0 (issue 21): registered clients, the grants (consents) tenants gave them, authorization
 * codes and access/refresh tokens — secrets, codes and tokens only as hashes. Each table is under
 * row-level security; a tenant reads its OAuth rows across both modes (TENANT_WIDE_TABLES), like keys.
 */
export class OAuth1797700000000 implements MigrationInterface {
  name = 'OAuth1797700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "oauth_clients" (
        "tenant_id" text NOT NULL,
        "id" text NOT NULL,
        "mode" text NOT NULL,
        "name" text NOT NULL,
        "redirect_uris" text array NOT NULL,
        "scopes" text array NOT NULL,
        "secret_hash" text,
        "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_e3a6ba9c7b0314cbf8332c6b84b" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_clients_created" ON "oauth_clients" ("tenant_id", "created_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "oauth_codes" (
        "tenant_id" text NOT NULL,
        "id" text NOT NULL,
        "mode" text NOT NULL,
        "code_hash" text NOT NULL,
        "client_id" text NOT NULL,
        "user_id" text NOT NULL,
        "redirect_uri" text NOT NULL,
        "scopes" text array NOT NULL,
        "code_challenge" text NOT NULL,
        "code_challenge_method" text NOT NULL,
        "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "consumed_at" TIMESTAMP(3) WITH TIME ZONE,
        "grant_id" text,
        "reused_at" TIMESTAMP(3) WITH TIME ZONE,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_06e1c7a2440f5583c8c3ef9209d" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_oauth_codes_hash" ON "oauth_codes" ("code_hash")`);
    await queryRunner.query(`
      CREATE TABLE "oauth_grants" (
        "tenant_id" text NOT NULL,
        "id" text NOT NULL,
        "mode" text NOT NULL,
        "client_id" text NOT NULL,
        "client_name" text NOT NULL,
        "user_id" text NOT NULL,
        "scopes" text array NOT NULL,
        "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
        "revoked_reason" text,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_3123ed2e2b815678c5a17f4b834" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_grants_client" ON "oauth_grants" ("tenant_id", "client_id")`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_grants_created" ON "oauth_grants" ("tenant_id", "created_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "oauth_tokens" (
        "tenant_id" text NOT NULL,
        "id" text NOT NULL,
        "mode" text NOT NULL,
        "kind" text NOT NULL,
        "token_hash" text NOT NULL,
        "client_id" text NOT NULL,
        "grant_id" text,
        "user_id" text,
        "scopes" text array NOT NULL,
        "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "rotated_at" TIMESTAMP(3) WITH TIME ZONE,
        "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_d2ecd061c0af4331c610aecc9c1" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_oauth_tokens_hash" ON "oauth_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_tokens_client" ON "oauth_tokens" ("client_id")`);
    await queryRunner.query(`CREATE INDEX "idx_oauth_tokens_grant" ON "oauth_tokens" ("tenant_id", "grant_id")`);
    for (const table of TABLES) await enableTenantRls(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.query(`DROP TABLE "${table}"`);
  }
}

import { MigrationInterface, QueryRunner } from "typeorm";

export class Identity1795436785048 implements MigrationInterface {
    name = 'Identity1795436785048'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "api_keys" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "name" text NOT NULL,
                "lookup" text NOT NULL,
                "secret_hash" text NOT NULL,
                "access" text NOT NULL,
                "scopes" text array,
                "last_used_at" TIMESTAMP(3) WITH TIME ZONE,
                "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_api_keys_lookup" ON "api_keys" ("lookup")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_api_keys_tenant" ON "api_keys" ("tenant_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "user_id" text NOT NULL,
                "family_id" text NOT NULL,
                "mode" text NOT NULL,
                "token_hash" text NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP(3) WITH TIME ZONE,
                "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_refresh_tokens_hash" ON "refresh_tokens" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_refresh_tokens_user" ON "refresh_tokens" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_refresh_tokens_family" ON "refresh_tokens" ("family_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "tenants" (
                "id" text NOT NULL,
                "name" text NOT NULL,
                "plan" text NOT NULL DEFAULT 'standard',
                "rate_limit_reads" integer,
                "rate_limit_writes" integer,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "email" text NOT NULL,
                "name" text,
                "password_hash" text NOT NULL,
                "role" text NOT NULL,
                "customer_id" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_users_email" ON "users" ("email")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_users_tenant_email" ON "users" ("tenant_id", "email")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."uq_users_tenant_email"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_users_email"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
        await queryRunner.query(`
            DROP TABLE "tenants"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_refresh_tokens_family"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_refresh_tokens_user"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_refresh_tokens_hash"
        `);
        await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_api_keys_tenant"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_api_keys_lookup"
        `);
        await queryRunner.query(`
            DROP TABLE "api_keys"
        `);
    }

}

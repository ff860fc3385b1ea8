import { MigrationInterface, QueryRunner } from "typeorm";

/** Stored responses for Idempotency-Key (src/platform/idempotency), purged after 24 h. */
export class IdempotencyKeys1795436900000 implements MigrationInterface {
    name = 'IdempotencyKeys1795436900000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "idempotency_keys" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "key" text NOT NULL,
                "request_hash" text NOT NULL,
                "method" text NOT NULL,
                "path" text NOT NULL,
                "response_status" integer NOT NULL,
                "response_body" jsonb,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_idempotency_keys" PRIMARY KEY ("tenant_id", "mode", "key")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_idempotency_keys_created_at" ON "idempotency_keys" ("created_at")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."idx_idempotency_keys_created_at"
        `);
        await queryRunner.query(`
            DROP TABLE "idempotency_keys"
        `);
    }

}

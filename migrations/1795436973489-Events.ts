import { MigrationInterface, QueryRunner } from "typeorm";

export class Events1795436973489 implements MigrationInterface {
    name = 'Events1795436973489'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "events" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "type" text NOT NULL,
                "data" jsonb NOT NULL,
                "relayed_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_events_unrelayed" ON "events" ("relayed_at")
            WHERE relayed_at IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_events_tenant_type" ON "events" ("tenant_id", "mode", "type", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_events_tenant_created" ON "events" ("tenant_id", "mode", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."idx_events_tenant_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_events_tenant_type"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_events_unrelayed"
        `);
        await queryRunner.query(`
            DROP TABLE "events"
        `);
    }

}

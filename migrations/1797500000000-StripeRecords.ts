import { MigrationInterface, QueryRunner } from "typeorm";
import { enableTenantRls } from "../src/database/row-level-security";

/** Issue 17: links between our records and Stripe's, and the Stripe events received (idempotency per event id). */
export class StripeRecords1797500000000 implements MigrationInterface {
    name = 'StripeRecords1797500000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "stripe_links" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "stripe_id" text NOT NULL, "kind" text NOT NULL, "local_id" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_stripe_links" PRIMARY KEY ("tenant_id", "mode", "stripe_id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_stripe_links_local" ON "stripe_links" ("tenant_id", "mode", "kind", "local_id") `);
        await queryRunner.query(`CREATE TABLE "stripe_webhook_events" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "event_id" text NOT NULL, "type" text NOT NULL, "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_stripe_webhook_events" PRIMARY KEY ("tenant_id", "mode", "event_id"))`);
        await enableTenantRls(queryRunner, 'stripe_links');
        await enableTenantRls(queryRunner, 'stripe_webhook_events');
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "stripe_webhook_events"`);
        await queryRunner.query(`DROP INDEX "public"."uq_stripe_links_local"`);
        await queryRunner.query(`DROP TABLE "stripe_links"`);
    }
}

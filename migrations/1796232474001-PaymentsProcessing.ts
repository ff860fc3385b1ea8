import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Issue 10: payments never exceed what is owed (CHECK amount_paid <= total on invoices and orders;
 * it fails on a database that already holds an overpaid row, which must be refunded first), processor
 * calls outside transactions (the sandbox processor's memory, the sweeps of the reconciliation job,
 * renewal charge claims with their time) and idempotency keys claimed before a route that calls out.
 */

export class PaymentsProcessing1796232474001 implements MigrationInterface {
    name = 'PaymentsProcessing1796232474001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "sandbox_processor_calls" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "idempotency_key" text NOT NULL,
                "operation" text NOT NULL,
                "result" jsonb NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_sandbox_processor_calls" PRIMARY KEY ("tenant_id", "mode", "idempotency_key")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "service_periods"
            ADD "charge_claimed_at" TIMESTAMP(3) WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
            ALTER COLUMN "response_status" DROP NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_payment_intents_processing" ON "payment_intents" ("updated_at")
            WHERE "status" = 'processing'
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_refunds_pending" ON "refunds" ("created_at")
            WHERE "status" = 'pending'
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices"
            ADD CONSTRAINT "chk_invoices_amount_paid_within_total" CHECK ("amount_paid" <= "total")
        `);
        await queryRunner.query(`
            ALTER TABLE "orders"
            ADD CONSTRAINT "chk_orders_amount_paid_within_total" CHECK ("amount_paid" <= "total")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_amount_paid_within_total"
        `);
        await queryRunner.query(`
            ALTER TABLE "invoices" DROP CONSTRAINT "chk_invoices_amount_paid_within_total"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_refunds_pending"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_payment_intents_processing"
        `);
        await queryRunner.query(`
            ALTER TABLE "idempotency_keys"
            ALTER COLUMN "response_status"
            SET NOT NULL
        `);
        await queryRunner.query(`
            ALTER TABLE "service_periods" DROP COLUMN "charge_claimed_at"
        `);
        await queryRunner.query(`
            DROP TABLE "sandbox_processor_calls"
        `);
    }

}

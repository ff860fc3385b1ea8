import { MigrationInterface, QueryRunner } from "typeorm";

export class OrdersPayments1795438561961 implements MigrationInterface {
    name = 'OrdersPayments1795438561961'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "orders" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "customer_id" text NOT NULL,
                "status" text NOT NULL,
                "payment_status" text NOT NULL,
                "fulfillment_status" text NOT NULL,
                "stock_state" text NOT NULL,
                "currency" text NOT NULL,
                "subtotal" bigint NOT NULL,
                "shipping_total" bigint NOT NULL,
                "tax_total" bigint NOT NULL,
                "total" bigint NOT NULL,
                "amount_paid" bigint NOT NULL,
                "amount_refunded" bigint NOT NULL,
                "shipping_address" jsonb NOT NULL,
                "billing_address" jsonb NOT NULL,
                "shipping_method" text,
                "payment_method" text,
                "note" text,
                "cancel_reason" text,
                "cancelled_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_710e2d4957aa5878dfe94e4ac2f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_orders_status" ON "orders" ("tenant_id", "mode", "status", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_orders_customer" ON "orders" ("tenant_id", "mode", "customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_orders_total" ON "orders" ("tenant_id", "mode", "total", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_orders_updated" ON "orders" ("tenant_id", "mode", "updated_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_orders_created" ON "orders" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "order_lines" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "order_id" text NOT NULL,
                "position" integer NOT NULL,
                "product_id" text NOT NULL,
                "variant_id" text,
                "sku" text NOT NULL,
                "name" text NOT NULL,
                "unit_price" bigint NOT NULL,
                "quantity" integer NOT NULL,
                "line_total" bigint NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_627dcd7f1d707de4df241b2da6b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_order_lines_order" ON "order_lines" ("order_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "order_status_history" (
                "id" uuid NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "order_id" text NOT NULL,
                "from_status" text,
                "to_status" text NOT NULL,
                "actor" text NOT NULL,
                "note" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e6c66d853f155531985fc4f6ec8" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_order_status_history_order" ON "order_status_history" ("order_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "disputes" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "intent_id" text NOT NULL,
                "amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "reason" text NOT NULL,
                "status" text NOT NULL,
                "evidence" jsonb,
                "evidence_submitted_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3c97580d01c1a4b0b345c42a107" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_disputes_intent" ON "disputes" ("tenant_id", "mode", "intent_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_disputes_tenant_created" ON "disputes" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "payment_intents" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "status" text NOT NULL,
                "capture_method" text NOT NULL,
                "payment_method" text NOT NULL DEFAULT 'card',
                "amount_captured" bigint NOT NULL DEFAULT '0',
                "amount_refunded" bigint NOT NULL DEFAULT '0',
                "amount_disputed" bigint NOT NULL DEFAULT '0',
                "target_kind" text,
                "target_id" text,
                "customer_id" text,
                "customer_email" text,
                "account_ref_id" text,
                "card_brand" text,
                "card_last4" text,
                "card_exp_month" integer,
                "card_exp_year" integer,
                "processor_ref" text,
                "failure_code" text,
                "failure_message" text,
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cc99975b98c8001a336976fd018" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_payment_intents_customer" ON "payment_intents" ("tenant_id", "mode", "customer_id")
            WHERE "customer_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_payment_intents_target" ON "payment_intents" ("tenant_id", "mode", "target_kind", "target_id")
            WHERE "target_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_payment_intents_tenant_created" ON "payment_intents" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "refunds" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "intent_id" text NOT NULL,
                "amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "reason" text,
                "status" text NOT NULL DEFAULT 'succeeded',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5106efb01eeda7e49a78b869738" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_refunds_intent" ON "refunds" ("tenant_id", "mode", "intent_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "transactions" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "type" text NOT NULL,
                "status" text NOT NULL,
                "amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "intent_id" text NOT NULL,
                "refund_id" text,
                "dispute_id" text,
                "customer_id" text,
                "customer_email" text,
                "account_ref_id" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a219afd8dd77ed80f5a862f1db9" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_transactions_intent" ON "transactions" ("tenant_id", "mode", "intent_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_transactions_account_ref" ON "transactions" (
                "tenant_id",
                "mode",
                "account_ref_id",
                "created_at"
            )
            WHERE "account_ref_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_transactions_tenant_created" ON "transactions" ("tenant_id", "mode", "created_at", "id")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."idx_transactions_tenant_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_transactions_account_ref"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_transactions_intent"
        `);
        await queryRunner.query(`
            DROP TABLE "transactions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_refunds_intent"
        `);
        await queryRunner.query(`
            DROP TABLE "refunds"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_payment_intents_tenant_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_payment_intents_target"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_payment_intents_customer"
        `);
        await queryRunner.query(`
            DROP TABLE "payment_intents"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_disputes_tenant_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_disputes_intent"
        `);
        await queryRunner.query(`
            DROP TABLE "disputes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_order_status_history_order"
        `);
        await queryRunner.query(`
            DROP TABLE "order_status_history"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_order_lines_order"
        `);
        await queryRunner.query(`
            DROP TABLE "order_lines"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_orders_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_orders_updated"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_orders_total"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_orders_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_orders_status"
        `);
        await queryRunner.query(`
            DROP TABLE "orders"
        `);
    }

}

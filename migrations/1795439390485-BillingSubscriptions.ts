import { MigrationInterface, QueryRunner } from "typeorm";

export class BillingSubscriptions1795439390485 implements MigrationInterface {
    name = 'BillingSubscriptions1795439390485'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "invoices" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "number" text NOT NULL,
                "status" text NOT NULL,
                "customer_id" text NOT NULL,
                "customer_email" text,
                "account_ref_id" text,
                "currency" text NOT NULL,
                "subtotal" bigint NOT NULL,
                "total" bigint NOT NULL,
                "amount_paid" bigint NOT NULL DEFAULT '0',
                "amount_refunded" bigint NOT NULL DEFAULT '0',
                "due_date" TIMESTAMP(3) WITH TIME ZONE,
                "return_url" text,
                "email_sent" boolean NOT NULL DEFAULT false,
                "service_id" text,
                "product_manage_id" text,
                "last_payment_error_code" text,
                "last_payment_error_message" text,
                "paid_at" TIMESTAMP(3) WITH TIME ZONE,
                "voided_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_668cef7c22a427fd822cc1be3ce" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoices_service" ON "invoices" ("tenant_id", "mode", "service_id", "created_at")
            WHERE "service_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoices_status" ON "invoices" ("tenant_id", "mode", "status", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoices_customer" ON "invoices" ("tenant_id", "mode", "customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoices_total" ON "invoices" ("tenant_id", "mode", "total", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoices_created" ON "invoices" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_invoices_number" ON "invoices" ("tenant_id", "mode", "number")
        `);
        await queryRunner.query(`
            CREATE TABLE "invoice_lines" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "invoice_id" text NOT NULL,
                "position" integer NOT NULL,
                "description" text NOT NULL,
                "quantity" integer NOT NULL,
                "unit_amount" bigint NOT NULL,
                "amount" bigint NOT NULL,
                "product_id" text,
                CONSTRAINT "PK_3d18eb48142b916f581f0c21a65" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoice_lines_invoice" ON "invoice_lines" ("invoice_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "invoice_counters" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "last_number" bigint NOT NULL,
                CONSTRAINT "PK_614378731cbf335100a4832506a" PRIMARY KEY ("tenant_id", "mode")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "invoice_page_tokens" (
                "id" uuid NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "invoice_id" text NOT NULL,
                "token_hash" text NOT NULL,
                "nonce" text NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f16d2182c1dc141541c7903fb7c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_invoice_page_tokens_invoice" ON "invoice_page_tokens" ("tenant_id", "mode", "invoice_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_invoice_page_tokens_hash" ON "invoice_page_tokens" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE TABLE "payment_methods" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "customer_id" text NOT NULL,
                "brand" text NOT NULL,
                "last4" text NOT NULL,
                "exp_month" integer NOT NULL,
                "exp_year" integer NOT NULL,
                "processor_ref" text NOT NULL,
                "is_default" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_34f9b8c6dfb4ac3559f7e2820d1" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_payment_methods_default" ON "payment_methods" ("tenant_id", "mode", "customer_id")
            WHERE "is_default"
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_payment_methods_customer" ON "payment_methods" ("tenant_id", "mode", "customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "services" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "customer_id" text NOT NULL,
                "product_id" text NOT NULL,
                "tier" text NOT NULL,
                "tier_id" text NOT NULL,
                "billing_cycle" text NOT NULL,
                "price" bigint NOT NULL,
                "currency" text NOT NULL,
                "status" text NOT NULL,
                "anchor_day" integer NOT NULL,
                "current_period_start" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "current_period_end" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "credit_balance" bigint NOT NULL DEFAULT '0',
                "latest_invoice_id" text,
                "last_proration" jsonb,
                "past_due_since" TIMESTAMP(3) WITH TIME ZONE,
                "next_retry_at" TIMESTAMP(3) WITH TIME ZONE,
                "retry_count" integer NOT NULL DEFAULT '0',
                "activated_at" TIMESTAMP(3) WITH TIME ZONE,
                "suspended_at" TIMESTAMP(3) WITH TIME ZONE,
                "terminated_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ba2d347a3168a296416c6c5ccb2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_services_retry" ON "services" ("status", "next_retry_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_services_due" ON "services" ("status", "current_period_end")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_services_customer" ON "services" ("tenant_id", "mode", "customer_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_services_created" ON "services" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "service_periods" (
                "id" uuid NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "service_id" text NOT NULL,
                "period_start" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "period_end" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "invoice_id" text,
                "kind" text NOT NULL,
                "charge_state" text NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2b1b49b7d4265010db8413abc52" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_service_periods_invoice" ON "service_periods" ("invoice_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_service_periods_charge" ON "service_periods" ("charge_state", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_service_periods_service_start" ON "service_periods" ("service_id", "period_start")
        `);
        await queryRunner.query(`
            CREATE TABLE "checkout_links" (
                "id" uuid NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "token_hash" text NOT NULL,
                "kind" text NOT NULL,
                "product_id" text NOT NULL,
                "tier_id" text,
                "account_ref_id" text NOT NULL,
                "email" text,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_5d6948bf22cf46b10374d1d9af0" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_checkout_links_token_hash" ON "checkout_links" ("token_hash")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."uq_checkout_links_token_hash"
        `);
        await queryRunner.query(`
            DROP TABLE "checkout_links"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_service_periods_service_start"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_service_periods_charge"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_service_periods_invoice"
        `);
        await queryRunner.query(`
            DROP TABLE "service_periods"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_services_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_services_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_services_due"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_services_retry"
        `);
        await queryRunner.query(`
            DROP TABLE "services"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_payment_methods_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_payment_methods_default"
        `);
        await queryRunner.query(`
            DROP TABLE "payment_methods"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_invoice_page_tokens_hash"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoice_page_tokens_invoice"
        `);
        await queryRunner.query(`
            DROP TABLE "invoice_page_tokens"
        `);
        await queryRunner.query(`
            DROP TABLE "invoice_counters"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoice_lines_invoice"
        `);
        await queryRunner.query(`
            DROP TABLE "invoice_lines"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_invoices_number"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoices_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoices_total"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoices_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoices_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_invoices_service"
        `);
        await queryRunner.query(`
            DROP TABLE "invoices"
        `);
    }

}

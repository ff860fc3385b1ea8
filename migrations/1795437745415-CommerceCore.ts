import { MigrationInterface, QueryRunner } from "typeorm";

export class CommerceCore1795437745415 implements MigrationInterface {
    name = 'CommerceCore1795437745415'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "products" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "sku" text NOT NULL,
                "name" text NOT NULL,
                "description" text,
                "price" bigint NOT NULL,
                "currency" text NOT NULL DEFAULT 'usd',
                "status" text NOT NULL DEFAULT 'active',
                "type" text NOT NULL DEFAULT 'single',
                "label_name" text,
                "categories" text array NOT NULL DEFAULT '{}',
                "images" jsonb NOT NULL DEFAULT '[]',
                "attributes" jsonb NOT NULL DEFAULT '{}',
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "stock" integer NOT NULL DEFAULT '0',
                "search_vector" tsvector,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_products_updated" ON "products" ("tenant_id", "mode", "updated_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_products_created" ON "products" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_products_stock" ON "products" ("tenant_id", "mode", "stock", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_products_price" ON "products" ("tenant_id", "mode", "price", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_products_name" ON "products" ("tenant_id", "mode", "name", "id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_products_tenant_mode_label" ON "products" ("tenant_id", "mode", "label_name")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_products_tenant_mode_sku" ON "products" ("tenant_id", "mode", "sku")
        `);
        await queryRunner.query(`
            CREATE TABLE "product_tiers" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "product_id" text NOT NULL,
                "label_name" text NOT NULL,
                "name" text NOT NULL,
                "description" text,
                "price" bigint NOT NULL,
                "currency" text NOT NULL DEFAULT 'usd',
                "billing_cycle" text NOT NULL,
                "features" text array NOT NULL DEFAULT '{}',
                "is_popular" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2085a5c84da0f01ffe75a02ca40" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_product_tiers_product" ON "product_tiers" ("tenant_id", "mode", "product_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_product_tiers_product_label" ON "product_tiers" ("product_id", "label_name")
        `);
        await queryRunner.query(`
            CREATE TABLE "product_variants" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "product_id" text NOT NULL,
                "sku" text NOT NULL,
                "price" bigint,
                "attributes" jsonb NOT NULL DEFAULT '{}',
                "image" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_281e3f2c55652d6a22c0aa59fd7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_product_variants_product" ON "product_variants" ("tenant_id", "mode", "product_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_product_variants_tenant_mode_sku" ON "product_variants" ("tenant_id", "mode", "sku")
        `);
        await queryRunner.query(`
            CREATE TABLE "customer_addresses" (
                "id" text NOT NULL,
                "customer_id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "kind" text NOT NULL,
                "is_default" boolean NOT NULL DEFAULT false,
                "first_name" text,
                "last_name" text,
                "company" text,
                "line1" text NOT NULL,
                "line2" text,
                "city" text NOT NULL,
                "region" text,
                "postal_code" text,
                "country" text NOT NULL,
                "phone" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_336bda7b0a0cd04241f719fc834" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_customer_addresses_default" ON "customer_addresses" ("customer_id", "kind")
            WHERE "is_default"
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_customer_addresses_customer" ON "customer_addresses" (
                "tenant_id",
                "mode",
                "customer_id",
                "kind",
                "created_at"
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "customers" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "email" text NOT NULL,
                "first_name" text NOT NULL,
                "last_name" text NOT NULL,
                "phone" text,
                "company" text,
                "account_ref_id" text,
                "tags" text array NOT NULL DEFAULT '{}',
                "metadata" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_133ec679a801fab5e070f73d3ea" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_customers_tenant_created" ON "customers" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_customers_tenant_email" ON "customers" ("tenant_id", "mode", "email")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_customers_account_ref" ON "customers" ("tenant_id", "mode", "account_ref_id")
            WHERE "account_ref_id" IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_endpoints" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "url" text NOT NULL,
                "description" text,
                "events" text array NOT NULL,
                "secret" text NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "disabled_reason" text,
                "deleted_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_054c4cfb95223732f5939d2d546" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_webhook_endpoints_tenant" ON "webhook_endpoints" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "endpoint_id" text NOT NULL,
                "event_id" text NOT NULL,
                "event_type" text NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "max_attempts" integer NOT NULL,
                "next_attempt_at" TIMESTAMP(3) WITH TIME ZONE,
                "last_status_code" integer,
                "last_error" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_webhook_deliveries_pending" ON "webhook_deliveries" ("next_attempt_at")
            WHERE status = 'pending'
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_webhook_deliveries_endpoint" ON "webhook_deliveries" (
                "tenant_id",
                "mode",
                "endpoint_id",
                "created_at",
                "id"
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("endpoint_id", "event_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "webhook_attempts" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "delivery_id" text NOT NULL,
                "attempt" integer NOT NULL,
                "status_code" integer,
                "latency_ms" integer NOT NULL,
                "error" text,
                "response_excerpt" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2de7e7887ad97de459adab62638" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_webhook_attempts_delivery" ON "webhook_attempts" ("delivery_id", "attempt")
        `);
        await queryRunner.query(`
            CREATE TABLE "locations" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "name" text NOT NULL,
                "code" text,
                "address" jsonb,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_7cc1c9e3853b94816c094825e74" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_locations_tenant_created" ON "locations" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_locations_tenant_mode_code" ON "locations" ("tenant_id", "mode", "code")
        `);
        await queryRunner.query(`
            CREATE TABLE "stock_alerts" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "product_id" text NOT NULL,
                "location_id" text,
                "threshold" integer NOT NULL,
                "state" text NOT NULL DEFAULT 'ok',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3c3bb550b3bf192460bffe3a55b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_stock_alerts_product" ON "stock_alerts" (
                "tenant_id",
                "mode",
                "product_id",
                "created_at",
                "id"
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "stock_levels" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "product_id" text NOT NULL,
                "variant_key" text NOT NULL DEFAULT '',
                "location_id" text NOT NULL,
                "on_hand" integer NOT NULL DEFAULT '0',
                "reserved" integer NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "chk_stock_levels_reserved_le_on_hand" CHECK ("reserved" <= "on_hand"),
                CONSTRAINT "chk_stock_levels_reserved_nonnegative" CHECK ("reserved" >= 0),
                CONSTRAINT "chk_stock_levels_on_hand_nonnegative" CHECK ("on_hand" >= 0),
                CONSTRAINT "pk_stock_levels" PRIMARY KEY (
                    "tenant_id",
                    "mode",
                    "product_id",
                    "variant_key",
                    "location_id"
                )
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_stock_levels_location" ON "stock_levels" ("tenant_id", "mode", "location_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "stock_movements" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "product_id" text NOT NULL,
                "variant_key" text NOT NULL DEFAULT '',
                "location_id" text NOT NULL,
                "kind" text NOT NULL,
                "reason" text,
                "quantity_on_hand_delta" integer NOT NULL,
                "quantity_reserved_delta" integer NOT NULL,
                "note" text,
                "reference" text,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_57a26b190618550d8e65fb860e7" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_stock_movements_reference" ON "stock_movements" ("tenant_id", "mode", "reference")
            WHERE reference IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_stock_movements_product" ON "stock_movements" (
                "tenant_id",
                "mode",
                "product_id",
                "created_at",
                "id"
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "outbound_emails" (
                "id" text NOT NULL,
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "template" text NOT NULL,
                "recipients" text array NOT NULL,
                "subject" text NOT NULL,
                "data" jsonb NOT NULL,
                "dedupe_key" text NOT NULL,
                "status" text NOT NULL DEFAULT 'queued',
                "attempts" integer NOT NULL DEFAULT '0',
                "error" text,
                "message_id" text,
                "locked_until" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_d07cd54ab4e5dd921ff509203ae" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_outbound_emails_queued" ON "outbound_emails" ("created_at")
            WHERE status = 'queued'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_outbound_emails_dedupe" ON "outbound_emails" ("tenant_id", "mode", "dedupe_key")
        `);
        // Full-text search over name, description and SKU: a GIN index the entity cannot declare.
        await queryRunner.query(`CREATE INDEX "idx_products_search" ON "products" USING GIN ("search_vector")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "idx_products_search"`);
        await queryRunner.query(`
            DROP INDEX "public"."uq_outbound_emails_dedupe"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_outbound_emails_queued"
        `);
        await queryRunner.query(`
            DROP TABLE "outbound_emails"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_stock_movements_product"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_stock_movements_reference"
        `);
        await queryRunner.query(`
            DROP TABLE "stock_movements"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_stock_levels_location"
        `);
        await queryRunner.query(`
            DROP TABLE "stock_levels"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_stock_alerts_product"
        `);
        await queryRunner.query(`
            DROP TABLE "stock_alerts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_locations_tenant_mode_code"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_locations_tenant_created"
        `);
        await queryRunner.query(`
            DROP TABLE "locations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_webhook_attempts_delivery"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_attempts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_webhook_deliveries_endpoint_event"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_webhook_deliveries_endpoint"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_webhook_deliveries_pending"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_webhook_endpoints_tenant"
        `);
        await queryRunner.query(`
            DROP TABLE "webhook_endpoints"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_customers_account_ref"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_customers_tenant_email"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_customers_tenant_created"
        `);
        await queryRunner.query(`
            DROP TABLE "customers"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_customer_addresses_customer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_customer_addresses_default"
        `);
        await queryRunner.query(`
            DROP TABLE "customer_addresses"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_product_variants_tenant_mode_sku"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_product_variants_product"
        `);
        await queryRunner.query(`
            DROP TABLE "product_variants"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_product_tiers_product_label"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_product_tiers_product"
        `);
        await queryRunner.query(`
            DROP TABLE "product_tiers"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_products_tenant_mode_sku"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_products_tenant_mode_label"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_products_name"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_products_price"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_products_stock"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_products_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_products_updated"
        `);
        await queryRunner.query(`
            DROP TABLE "products"
        `);
    }

}

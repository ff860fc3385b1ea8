import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';
import { addTenantForeignKey, dropTenantForeignKey } from '../src/database/tenant-keys';

/**
 * Shipping: table-rate zones, per-tenant settings, rate quotes, shipments and their tracking events
 * (every table with row-level security and a primary key that leads with the tenant), and the
 * shipped units of each order line. A shipment's order and an event's shipment are tenant keys.
 */
export class Shipping1797300000000 implements MigrationInterface {
    name = 'Shipping1797300000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "shipments" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "id" text NOT NULL,
                "order_id" text NOT NULL,
                "status" text NOT NULL,
                "carrier" text NOT NULL,
                "service" text NOT NULL,
                "tracking_number" text NOT NULL,
                "items" jsonb NOT NULL,
                "allocations" jsonb NOT NULL,
                "packages" jsonb NOT NULL,
                "ship_from" jsonb,
                "ship_to" jsonb NOT NULL,
                "insurance_value" bigint,
                "currency" text NOT NULL,
                "signature_required" boolean NOT NULL DEFAULT false,
                "rate_amount" bigint NOT NULL,
                "in_transit_at" TIMESTAMP(3) WITH TIME ZONE,
                "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
                "cancelled_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_shipments" PRIMARY KEY ("tenant_id", "mode", "id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_shipments_tracking" ON "shipments" (
                "tenant_id",
                "mode",
                "carrier",
                "tracking_number"
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_shipments_order" ON "shipments" ("tenant_id", "mode", "order_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_shipments_created" ON "shipments" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "shipment_events" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "id" text NOT NULL,
                "shipment_id" text NOT NULL,
                "status" text NOT NULL,
                "description" text NOT NULL,
                "location" text,
                "source" text NOT NULL,
                "carrier_event_id" text,
                "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_shipment_events" PRIMARY KEY ("tenant_id", "mode", "id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_shipment_events_carrier_event" ON "shipment_events" (
                "tenant_id",
                "mode",
                "shipment_id",
                "carrier_event_id"
            )
            WHERE carrier_event_id IS NOT NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_shipment_events_shipment" ON "shipment_events" (
                "tenant_id",
                "mode",
                "shipment_id",
                "occurred_at"
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "shipping_rate_quotes" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "id" text NOT NULL,
                "carrier" text NOT NULL,
                "service" text NOT NULL,
                "amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "destination_country" text NOT NULL,
                "packages" jsonb NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_shipping_rate_quotes" PRIMARY KEY ("tenant_id", "mode", "id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_shipping_rate_quotes_expiry" ON "shipping_rate_quotes" ("expires_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "shipping_settings" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "origin" jsonb,
                "dimensional_divisor" integer NOT NULL DEFAULT '5000',
                "free_shipping_thresholds" jsonb NOT NULL DEFAULT '[]',
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_shipping_settings" PRIMARY KEY ("tenant_id", "mode")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "shipping_zones" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "id" text NOT NULL,
                "name" text NOT NULL,
                "countries" text array NOT NULL DEFAULT '{}',
                "regions" text array NOT NULL DEFAULT '{}',
                "services" jsonb NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "pk_shipping_zones" PRIMARY KEY ("tenant_id", "mode", "id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "idx_shipping_zones_created" ON "shipping_zones" ("tenant_id", "mode", "created_at", "id")
        `);
        await queryRunner.query(`
            ALTER TABLE "order_lines"
            ADD "fulfilled_quantity" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "order_lines"
            ADD CONSTRAINT "chk_order_lines_fulfilled_within_quantity" CHECK (
                    "fulfilled_quantity" >= 0
                    AND "fulfilled_quantity" <= "quantity"
                )
        `);
        for (const table of ['shipments', 'shipment_events', 'shipping_rate_quotes', 'shipping_settings', 'shipping_zones']) {
            await enableTenantRls(queryRunner, table);
        }
        await addTenantForeignKey(queryRunner, 'shipments', 'order_id', 'orders');
        await queryRunner.query(`ALTER TABLE "shipment_events" ADD CONSTRAINT "tk_shipment_events_shipment_id" FOREIGN KEY ("tenant_id", "mode", "shipment_id") REFERENCES "shipments" ("tenant_id", "mode", "id")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await dropTenantForeignKey(queryRunner, 'shipment_events', 'shipment_id');
        await dropTenantForeignKey(queryRunner, 'shipments', 'order_id');
        await queryRunner.query(`
            ALTER TABLE "order_lines" DROP CONSTRAINT "chk_order_lines_fulfilled_within_quantity"
        `);
        await queryRunner.query(`
            ALTER TABLE "order_lines" DROP COLUMN "fulfilled_quantity"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_shipping_zones_created"
        `);
        await queryRunner.query(`
            DROP TABLE "shipping_zones"
        `);
        await queryRunner.query(`
            DROP TABLE "shipping_settings"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_shipping_rate_quotes_expiry"
        `);
        await queryRunner.query(`
            DROP TABLE "shipping_rate_quotes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_shipment_events_shipment"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_shipment_events_carrier_event"
        `);
        await queryRunner.query(`
            DROP TABLE "shipment_events"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_shipments_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."idx_shipments_order"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."uq_shipments_tracking"
        `);
        await queryRunner.query(`
            DROP TABLE "shipments"
        `);
    }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

/**
 * Analytics (issue 20): analytics' copy of each order's contribution (kept from the order events)
 * and the hourly rollups and per-customer totals the reports read, each under row-level security.
 */
export class AnalyticsRollups1797600000000 implements MigrationInterface {
  name = 'AnalyticsRollups1797600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "analytics_order_facts" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "order_id" text NOT NULL, "customer_id" text NOT NULL, "currency" text NOT NULL, "placed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "placed_hour" TIMESTAMP WITH TIME ZONE NOT NULL, "counted" boolean NOT NULL, "total" bigint NOT NULL, "refunded" bigint NOT NULL, "units" integer NOT NULL, "country" text, "region" text, "lines" jsonb NOT NULL, "version_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "version_event" text NOT NULL, CONSTRAINT "PK_f0375e17f5106ee4f1a34da5612" PRIMARY KEY ("tenant_id", "mode", "order_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_order_facts_customer" ON "analytics_order_facts" ("tenant_id", "mode", "customer_id", "currency")`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_order_facts_placed" ON "analytics_order_facts" ("tenant_id", "mode", "placed_at")`);
    await queryRunner.query(`CREATE TABLE "analytics_sales_hourly" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "orders" integer NOT NULL, "revenue" bigint NOT NULL, "units" bigint NOT NULL, "refunds" bigint NOT NULL, "cancelled_orders" integer NOT NULL, CONSTRAINT "PK_56829d867f7ad425c93a32ded0a" PRIMARY KEY ("tenant_id", "mode", "currency", "hour"))`);
    await queryRunner.query(`CREATE TABLE "analytics_product_hourly" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "product_id" text NOT NULL, "orders" integer NOT NULL, "revenue" bigint NOT NULL, "units" bigint NOT NULL, "refunds" bigint NOT NULL, "refunded_orders" integer NOT NULL, CONSTRAINT "PK_7aed38afe35494834cb36fbf823" PRIMARY KEY ("tenant_id", "mode", "currency", "hour", "product_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_product_hourly_product" ON "analytics_product_hourly" ("tenant_id", "mode", "product_id", "hour")`);
    await queryRunner.query(`CREATE TABLE "analytics_region_hourly" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "hour" TIMESTAMP WITH TIME ZONE NOT NULL, "country" text NOT NULL, "region" text NOT NULL, "orders" integer NOT NULL, "revenue" bigint NOT NULL, "units" bigint NOT NULL, "refunds" bigint NOT NULL, "cancelled_orders" integer NOT NULL, CONSTRAINT "PK_ccbffff8cf7d7465c3497a90521" PRIMARY KEY ("tenant_id", "mode", "currency", "hour", "country", "region"))`);
    await queryRunner.query(`CREATE TABLE "analytics_customer_totals" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "customer_id" text NOT NULL, "orders" integer NOT NULL, "revenue" bigint NOT NULL, "refunds" bigint NOT NULL, "first_order_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "last_order_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL, "country" text, "region" text, CONSTRAINT "PK_197cf933d6892053ed4bdfce363" PRIMARY KEY ("tenant_id", "mode", "currency", "customer_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_customer_totals_first" ON "analytics_customer_totals" ("tenant_id", "mode", "currency", "first_order_at")`);
    for (const table of ['analytics_order_facts', 'analytics_sales_hourly', 'analytics_product_hourly', 'analytics_region_hourly', 'analytics_customer_totals']) {
      await enableTenantRls(queryRunner, table);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "analytics_customer_totals"`);
    await queryRunner.query(`DROP TABLE "analytics_region_hourly"`);
    await queryRunner.query(`DROP TABLE "analytics_product_hourly"`);
    await queryRunner.query(`DROP TABLE "analytics_sales_hourly"`);
    await queryRunner.query(`DROP TABLE "analytics_order_facts"`);
  }
}

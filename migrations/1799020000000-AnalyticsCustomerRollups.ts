import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

/**
 * Analytics (issue 20, the customers report at scale): rollups of the customer totals by first-order
 * hour (cohorts), latest address (geography) and last-order hour (recency), and the returns grid
 * (each repeat order counted by the UTC day and month of it and of the order before), each under
 * row-level security. Facts get the customer's previous order time (`prev_at`), and the customer
 * index gains placed_at so the event path finds an order's neighbours without reading all of a
 * customer's orders. Run `npm run cli -- analytics:rebuild --tenant …` per tenant with analytics
 * data to fill the new tables (the order events fill them from now on).
 */
export class AnalyticsCustomerRollups1799020000000 implements MigrationInterface {
  name = 'AnalyticsCustomerRollups1799020000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "analytics_customer_cohorts" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "first_hour" TIMESTAMP WITH TIME ZONE NOT NULL, "customers" integer NOT NULL, "orders" integer NOT NULL, "lifetime_value" bigint NOT NULL, CONSTRAINT "PK_f462b9aa681b52643afe15ff669" PRIMARY KEY ("tenant_id", "mode", "currency", "first_hour"))`);
    await queryRunner.query(`CREATE TABLE "analytics_customer_geography" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "country" text NOT NULL, "region" text NOT NULL, "customers" integer NOT NULL, "orders" integer NOT NULL, "lifetime_value" bigint NOT NULL, CONSTRAINT "PK_bdb0a101e39a2706b4cbeca9b80" PRIMARY KEY ("tenant_id", "mode", "currency", "country", "region"))`);
    await queryRunner.query(`CREATE TABLE "analytics_customer_recency" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "last_hour" TIMESTAMP WITH TIME ZONE NOT NULL, "customers" integer NOT NULL, "orders" integer NOT NULL, "lifetime_value" bigint NOT NULL, CONSTRAINT "PK_b95f5b0462a106fb9b5eca3bd89" PRIMARY KEY ("tenant_id", "mode", "currency", "last_hour"))`);
    await queryRunner.query(`CREATE TABLE "analytics_customer_returns" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "next_unit" text NOT NULL, "prev_unit" text NOT NULL, "next_start" TIMESTAMP WITH TIME ZONE NOT NULL, "prev_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, "returns" integer NOT NULL, CONSTRAINT "PK_32b2ad513189d058067bd6a3fb7" PRIMARY KEY ("tenant_id", "mode", "next_unit", "prev_unit", "next_start", "prev_start", "currency"))`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_customer_returns_prev" ON "analytics_customer_returns" ("tenant_id", "mode", "prev_unit", "next_unit", "prev_start")`);
    await queryRunner.query(`ALTER TABLE "analytics_order_facts" ADD "prev_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_order_facts_prev" ON "analytics_order_facts" ("tenant_id", "mode", "prev_at")`);
    await queryRunner.query(`DROP INDEX "public"."idx_analytics_order_facts_customer"`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_order_facts_customer" ON "analytics_order_facts" ("tenant_id", "mode", "customer_id", "currency", "placed_at", "order_id")`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_customer_totals_last" ON "analytics_customer_totals" ("tenant_id", "mode", "last_order_at")`);
    for (const table of ['analytics_customer_cohorts', 'analytics_customer_geography', 'analytics_customer_recency', 'analytics_customer_returns']) {
      await enableTenantRls(queryRunner, table);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_analytics_customer_totals_last"`);
    await queryRunner.query(`DROP INDEX "public"."idx_analytics_order_facts_customer"`);
    await queryRunner.query(`CREATE INDEX "idx_analytics_order_facts_customer" ON "analytics_order_facts" ("tenant_id", "mode", "customer_id", "currency")`);
    await queryRunner.query(`DROP INDEX "public"."idx_analytics_order_facts_prev"`);
    await queryRunner.query(`ALTER TABLE "analytics_order_facts" DROP COLUMN "prev_at"`);
    await queryRunner.query(`DROP TABLE "analytics_customer_returns"`);
    await queryRunner.query(`DROP TABLE "analytics_customer_recency"`);
    await queryRunner.query(`DROP TABLE "analytics_customer_geography"`);
    await queryRunner.query(`DROP TABLE "analytics_customer_cohorts"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

const NEW_TABLES = [
  'analytics_customer_cohorts', 'analytics_customer_geography', 'analytics_customer_recency', 'analytics_customer_returns',
  'analytics_sales_periods', 'analytics_product_periods', 'analytics_region_periods',
];

/**
 * Analytics at a million orders (issue 20). The customers report's rollups: customers by
 * first-order hour and day (cohorts), by latest address (geography) and by last-order day
 * (recency), and the returns grid (each repeat order counted by the UTC day and month of it and of
 * the order before). The order rollups per UTC day and month (*_periods), and an hour index on the
 * hourly tables, so long ranges read whole periods and only their edge hours. Facts get the
 * customer's previous order time (`prev_at`); the customer index gains placed_at so the event path
 * finds an order's neighbours without reading all of a customer's orders. All under row-level
 * security. Existing data: run `npm run cli -- analytics:rebuild --tenant …` per tenant with
 * analytics data to fill the new tables (the order events keep them from then on).
 */
export class AnalyticsCustomerRollups1799020000000 implements MigrationInterface {
  name = 'AnalyticsCustomerRollups1799020000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    const measures = `"orders" integer NOT NULL, "revenue" bigint NOT NULL, "units" bigint NOT NULL, "refunds" bigint NOT NULL`;
    const segment = `"customers" integer NOT NULL, "orders" integer NOT NULL, "lifetime_value" bigint NOT NULL`;
    await q(`CREATE TABLE "analytics_customer_cohorts" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "unit" text NOT NULL, "first_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, ${segment}, CONSTRAINT "PK_8e957436cd44188600e0799c2ee" PRIMARY KEY ("tenant_id", "mode", "unit", "first_start", "currency"))`);
    await q(`CREATE TABLE "analytics_customer_geography" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "currency" text NOT NULL, "country" text NOT NULL, "region" text NOT NULL, ${segment}, CONSTRAINT "PK_bdb0a101e39a2706b4cbeca9b80" PRIMARY KEY ("tenant_id", "mode", "currency", "country", "region"))`);
    await q(`CREATE TABLE "analytics_customer_recency" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "last_day" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, ${segment}, CONSTRAINT "PK_2585d8aefefe4e4a4c5bab093b5" PRIMARY KEY ("tenant_id", "mode", "last_day", "currency"))`);
    await q(`CREATE TABLE "analytics_customer_returns" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "next_unit" text NOT NULL, "prev_unit" text NOT NULL, "next_start" TIMESTAMP WITH TIME ZONE NOT NULL, "prev_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, "returns" integer NOT NULL, CONSTRAINT "PK_32b2ad513189d058067bd6a3fb7" PRIMARY KEY ("tenant_id", "mode", "next_unit", "prev_unit", "next_start", "prev_start", "currency"))`);
    await q(`CREATE INDEX "idx_analytics_customer_returns_prev" ON "analytics_customer_returns" ("tenant_id", "mode", "prev_unit", "next_unit", "prev_start")`);
    await q(`CREATE TABLE "analytics_sales_periods" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "unit" text NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, ${measures}, "cancelled_orders" integer NOT NULL, CONSTRAINT "PK_b955137846d8b4ef6e80b566071" PRIMARY KEY ("tenant_id", "mode", "unit", "period_start", "currency"))`);
    await q(`CREATE TABLE "analytics_product_periods" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "unit" text NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, "product_id" text NOT NULL, ${measures}, "refunded_orders" integer NOT NULL, CONSTRAINT "PK_9f24bee4426479727945cbf65a6" PRIMARY KEY ("tenant_id", "mode", "unit", "period_start", "currency", "product_id"))`);
    await q(`CREATE TABLE "analytics_region_periods" ("tenant_id" text NOT NULL, "mode" text NOT NULL, "unit" text NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, "country" text NOT NULL, "region" text NOT NULL, ${measures}, "cancelled_orders" integer NOT NULL, CONSTRAINT "PK_6cbcff6a464b60b3eb49c7c9749" PRIMARY KEY ("tenant_id", "mode", "unit", "period_start", "currency", "country", "region"))`);
    await q(`ALTER TABLE "analytics_order_facts" ADD "prev_at" TIMESTAMP(3) WITH TIME ZONE`);
    await q(`CREATE INDEX "idx_analytics_order_facts_prev" ON "analytics_order_facts" ("tenant_id", "mode", "prev_at")`);
    await q(`DROP INDEX "public"."idx_analytics_order_facts_customer"`);
    await q(`CREATE INDEX "idx_analytics_order_facts_customer" ON "analytics_order_facts" ("tenant_id", "mode", "customer_id", "currency", "placed_at", "order_id")`);
    await q(`CREATE INDEX "idx_analytics_sales_hourly_hour" ON "analytics_sales_hourly" ("tenant_id", "mode", "hour")`);
    await q(`CREATE INDEX "idx_analytics_product_hourly_hour" ON "analytics_product_hourly" ("tenant_id", "mode", "hour")`);
    await q(`CREATE INDEX "idx_analytics_region_hourly_hour" ON "analytics_region_hourly" ("tenant_id", "mode", "hour")`);
    await q(`CREATE INDEX "idx_analytics_customer_totals_last" ON "analytics_customer_totals" ("tenant_id", "mode", "last_order_at")`);
    for (const table of NEW_TABLES) await enableTenantRls(queryRunner, table);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP INDEX "public"."idx_analytics_customer_totals_last"`);
    await q(`DROP INDEX "public"."idx_analytics_region_hourly_hour"`);
    await q(`DROP INDEX "public"."idx_analytics_product_hourly_hour"`);
    await q(`DROP INDEX "public"."idx_analytics_sales_hourly_hour"`);
    await q(`DROP INDEX "public"."idx_analytics_order_facts_customer"`);
    await q(`CREATE INDEX "idx_analytics_order_facts_customer" ON "analytics_order_facts" ("tenant_id", "mode", "customer_id", "currency")`);
    await q(`DROP INDEX "public"."idx_analytics_order_facts_prev"`);
    await q(`ALTER TABLE "analytics_order_facts" DROP COLUMN "prev_at"`);
    for (const table of [...NEW_TABLES].reverse()) await q(`DROP TABLE "${table}"`);
  }
}

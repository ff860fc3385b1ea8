import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The four unique keys of tenant tables that did not include tenant_id now lead with
 * (tenant_id, mode), as a distributed PostgreSQL (Citus, distribution column tenant_id) requires of
 * every unique key. The ids they contain are globally unique, so what each key allows is unchanged.
 * What is still left is listed in scripts/distribution-keys.ts and the README ("Scaling beyond one database").
 */
export class TenantLeadingUniqueKeys1796262000000 implements MigrationInterface {
    name = 'TenantLeadingUniqueKeys1796262000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_product_tiers_product_label"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_product_tiers_product_label" ON "product_tiers" ("tenant_id", "mode", "product_id", "label_name")`);
        await queryRunner.query(`DROP INDEX "public"."uq_customer_addresses_default"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_customer_addresses_default" ON "customer_addresses" ("tenant_id", "mode", "customer_id", "kind") WHERE "is_default"`);
        await queryRunner.query(`DROP INDEX "public"."uq_service_periods_service_start"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_service_periods_service_start" ON "service_periods" ("tenant_id", "mode", "service_id", "period_start")`);
        await queryRunner.query(`DROP INDEX "public"."uq_webhook_deliveries_endpoint_event"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("tenant_id", "mode", "endpoint_id", "event_id")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."uq_webhook_deliveries_endpoint_event"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_webhook_deliveries_endpoint_event" ON "webhook_deliveries" ("endpoint_id", "event_id")`);
        await queryRunner.query(`DROP INDEX "public"."uq_service_periods_service_start"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_service_periods_service_start" ON "service_periods" ("service_id", "period_start")`);
        await queryRunner.query(`DROP INDEX "public"."uq_customer_addresses_default"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_customer_addresses_default" ON "customer_addresses" ("customer_id", "kind") WHERE "is_default"`);
        await queryRunner.query(`DROP INDEX "public"."uq_product_tiers_product_label"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_product_tiers_product_label" ON "product_tiers" ("product_id", "label_name")`);
    }
}

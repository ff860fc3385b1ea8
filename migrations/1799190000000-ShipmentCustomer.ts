import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shipments carry their order's customer (issue 19): customer users and their client-portal tokens
 * list and read only their own customer's shipments, filtered and paged on this column. Existing
 * shipments take it from their order (an order's customer never changes).
 */
export class ShipmentCustomer1799190000000 implements MigrationInterface {
  name = 'ShipmentCustomer1799190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "shipments" ADD "customer_id" text`);
    // Row-level security is forced even for the owner: this migration's transaction reads every tenant's rows.
    await queryRunner.query(`SELECT set_config('app.cross_tenant', 'migration: backfill shipments.customer_id', true)`);
    await queryRunner.query(`
      UPDATE "shipments" s SET "customer_id" = o."customer_id"
        FROM "orders" o
       WHERE o."tenant_id" = s."tenant_id" AND o."mode" = s."mode" AND o."id" = s."order_id"
    `);
    await queryRunner.query(`SELECT set_config('app.cross_tenant', '', true)`);
    await queryRunner.query(`ALTER TABLE "shipments" ALTER COLUMN "customer_id" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_shipments_customer" ON "shipments" ("tenant_id", "mode", "customer_id", "created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_shipments_customer"`);
    await queryRunner.query(`ALTER TABLE "shipments" DROP COLUMN "customer_id"`);
  }
}

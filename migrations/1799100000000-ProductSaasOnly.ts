import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `products.saas_only` (issue 22, seed 003): only tagged products resolve through
 * `GET /resolve/public-url`. Products tagged the old way, `metadata.saas_only = "true"`, keep
 * resolving. The backfill must see every tenant's rows: row-level security is forced on products,
 * so it is lifted for this one statement, inside the migration's transaction.
 */
export class ProductSaasOnly1799100000000 implements MigrationInterface {
  name = 'ProductSaasOnly1799100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "products" ADD "saas_only" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "products" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`UPDATE "products" SET "saas_only" = true WHERE "metadata" ->> 'saas_only' = 'true'`);
    await queryRunner.query(`ALTER TABLE "products" FORCE ROW LEVEL SECURITY`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "products" DROP COLUMN "saas_only"`);
  }
}

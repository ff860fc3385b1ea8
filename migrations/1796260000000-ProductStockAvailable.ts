import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `products.stock` becomes what the API says it is: units available (on_hand - reserved) summed over
 * the product's stock levels, every location and variant. It had never been written (always 0).
 * From here the inventory module moves it in the transaction that changes a level; this backfills
 * the current sums. bigint, because a sum over many levels can pass an integer level's range; the
 * CHECK makes a drift below zero fail loudly instead of publishing a negative stock.
 */
export class ProductStockAvailable1796260000000 implements MigrationInterface {
  name = 'ProductStockAvailable1796260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "products" ALTER COLUMN "stock" TYPE bigint`);
    // Row-level security is forced on products and stock_levels even for their owner: this
    // migration's own transaction reads and writes every tenant's rows.
    await queryRunner.query(`SELECT set_config('app.cross_tenant', 'migration: backfill products.stock', true)`);
    await queryRunner.query(`
      UPDATE "products" p SET "stock" = s.available
        FROM (SELECT tenant_id, mode, product_id, sum(on_hand - reserved) AS available
                FROM "stock_levels" GROUP BY tenant_id, mode, product_id) s
       WHERE p.tenant_id = s.tenant_id AND p.mode = s.mode AND p.id = s.product_id AND p.stock <> s.available
    `);
    await queryRunner.query(`SELECT set_config('app.cross_tenant', '', true)`);
    await queryRunner.query(`ALTER TABLE "products" ADD CONSTRAINT "chk_products_stock_nonnegative" CHECK ("stock" >= 0)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "products" DROP CONSTRAINT "chk_products_stock_nonnegative"`);
    await queryRunner.query(`ALTER TABLE "products" ALTER COLUMN "stock" TYPE integer`);
  }
}

import { MigrationInterface, QueryRunner } from "typeorm";

/** Customers can be archived instead of deleted: `status` active | archived, existing rows active. */
export class CustomerStatus1796232420758 implements MigrationInterface {
    name = 'CustomerStatus1796232420758'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "customers"
            ADD "status" text NOT NULL DEFAULT 'active'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "customers" DROP COLUMN "status"
        `);
    }

}

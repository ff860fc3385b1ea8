import { MigrationInterface, QueryRunner } from "typeorm";

export class RenewalSweepBackoff1796240000000 implements MigrationInterface {
    name = 'RenewalSweepBackoff1796240000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "services"
            ADD "sweep_failures" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "services"
            ADD "sweep_retry_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "services" DROP COLUMN "sweep_retry_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "services" DROP COLUMN "sweep_failures"
        `);
    }
}

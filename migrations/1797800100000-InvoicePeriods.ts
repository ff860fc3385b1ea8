import { MigrationInterface, QueryRunner } from 'typeorm';

/** Invoices name the billing period they cover (issue 22 item 4: `period_start`, `period_end`). */
export class InvoicePeriods1797800100000 implements MigrationInterface {
  name = 'InvoicePeriods1797800100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" ADD "period_start" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "invoices" ADD "period_end" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "period_end"`);
    await queryRunner.query(`ALTER TABLE "invoices" DROP COLUMN "period_start"`);
  }
}

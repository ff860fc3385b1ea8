import { MigrationInterface, QueryRunner } from 'typeorm';

/** A refund records whether the application fee was asked back too (issue 22 item 4; no fees exist yet). */
export class RefundApplicationFee1797800200000 implements MigrationInterface {
  name = 'RefundApplicationFee1797800200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" ADD "refund_application_fee" boolean NOT NULL DEFAULT false`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refunds" DROP COLUMN "refund_application_fee"`);
  }
}

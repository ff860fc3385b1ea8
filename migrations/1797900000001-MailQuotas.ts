import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Send quotas (issue 23): whether a mail was counted, and until when one over quota waits. */
export class MailQuotas1797900000001 implements MigrationInterface {
  name = 'MailQuotas1797900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbound_emails" ADD "quota_taken" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "outbound_emails" ADD "deferred_until" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "outbound_emails" DROP COLUMN "deferred_until"`);
    await queryRunner.query(`ALTER TABLE "outbound_emails" DROP COLUMN "quota_taken"`);
  }
}

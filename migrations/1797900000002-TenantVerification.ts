import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Verified owners (issue 23): tenants created before this are taken as verified. */
export class TenantVerification1797900000002 implements MigrationInterface {
  name = 'TenantVerification1797900000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tenants" ADD "email_verified_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "verification_token_hash" text`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "verification_expires_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`UPDATE "tenants" SET "email_verified_at" = "created_at"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_tenants_verification_token" ON "tenants" ("verification_token_hash") WHERE verification_token_hash IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_tenants_verification_token"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "verification_expires_at"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "verification_token_hash"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "email_verified_at"`);
  }
}

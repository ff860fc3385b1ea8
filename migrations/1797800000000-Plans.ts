import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit plans as data (issue 22): each plan has read and write limits per minute, hour and day
 * and a burst factor; a tenant names its plan in `tenants.plan`. `standard` keeps today's limits
 * (the configured per-minute defaults, no hourly or daily cap); `enterprise` gets 10,000 reads and
 * 1,000 writes a minute. API keys gain a client-address allow-list and lower per-key limits.
 */
export class Plans1797800000000 implements MigrationInterface {
  name = 'Plans1797800000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "plans" (
        "id" text NOT NULL,
        "name" text NOT NULL,
        "reads_per_minute" integer,
        "reads_per_hour" integer,
        "reads_per_day" integer,
        "writes_per_minute" integer,
        "writes_per_hour" integer,
        "writes_per_day" integer,
        "burst_factor" double precision NOT NULL DEFAULT 2,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_plans" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_plans_name" ON "plans" ("name")`);
    await queryRunner.query(`
      INSERT INTO "plans" ("id", "name", "reads_per_minute", "writes_per_minute") VALUES
        ('plan_01kc0000000000000000000001', 'standard', NULL, NULL),
        ('plan_01kc0000000000000000000002', 'enterprise', 10000, 1000)`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "allowed_ips" text array`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "rate_limits" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "rate_limits"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "allowed_ips"`);
    await queryRunner.query(`DROP INDEX "uq_plans_name"`);
    await queryRunner.query(`DROP TABLE "plans"`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

/** The hosts an invoice's return_url may name, per tenant and mode (issue 23: safe redirects). */
export class RedirectDomains1797900000000 implements MigrationInterface {
  name = 'RedirectDomains1797900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "redirect_domains" (
        "tenant_id" text NOT NULL,
        "mode" text NOT NULL,
        "domains" text array NOT NULL,
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_redirect_domains" PRIMARY KEY ("tenant_id", "mode")
      )`);
    await enableTenantRls(queryRunner, 'redirect_domains');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "redirect_domains"`);
  }
}

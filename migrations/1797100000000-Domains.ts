import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';

/**
 * Domains (`domains`, primary key (tenant_id, id), the ASCII name unique per tenant and mode) and the
 * tenants' own per-TLD prices (`tld_prices`, keyed by tenant, mode and TLD). Both under row-level security.
 */
export class Domains1797100000000 implements MigrationInterface {
    name = 'Domains1797100000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "domains" (
                "tenant_id" text NOT NULL,
                "id" text NOT NULL,
                "mode" text NOT NULL,
                "name" text NOT NULL,
                "unicode_name" text NOT NULL,
                "tld" text NOT NULL,
                "customer_id" text NOT NULL,
                "status" text NOT NULL,
                "registrar" text NOT NULL,
                "years" integer NOT NULL,
                "registered_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "auto_renew" boolean NOT NULL,
                "nameservers" jsonb NOT NULL,
                "latest_invoice_id" text,
                "renewal_invoice_id" text,
                "renewal_paid_at" TIMESTAMP(3) WITH TIME ZONE,
                "expiring_notice_for" TIMESTAMP(3) WITH TIME ZONE,
                "transfer_auth_hash" text,
                "transfer_requested_at" TIMESTAMP(3) WITH TIME ZONE,
                "sweep_failures" integer NOT NULL DEFAULT '0',
                "sweep_retry_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_91d790434961b6b0452e0fd9f6a" PRIMARY KEY ("tenant_id", "id")
            )
        `);
        await queryRunner.query(`CREATE INDEX "idx_domains_expiry" ON "domains" ("status", "expires_at")`);
        await queryRunner.query(`CREATE INDEX "idx_domains_renewal_invoice" ON "domains" ("tenant_id", "mode", "renewal_invoice_id")`);
        await queryRunner.query(`CREATE INDEX "idx_domains_customer" ON "domains" ("tenant_id", "mode", "customer_id", "created_at")`);
        await queryRunner.query(`CREATE INDEX "idx_domains_created" ON "domains" ("tenant_id", "mode", "created_at", "id")`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_domains_name" ON "domains" ("tenant_id", "mode", "name")`);
        await queryRunner.query(`
            CREATE TABLE "tld_prices" (
                "tenant_id" text NOT NULL,
                "mode" text NOT NULL,
                "tld" text NOT NULL,
                "registration_amount" bigint NOT NULL,
                "renewal_amount" bigint NOT NULL,
                "currency" text NOT NULL,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3984b4e0abd011e556d924565f6" PRIMARY KEY ("tenant_id", "mode", "tld")
            )
        `);
        await enableTenantRls(queryRunner, 'domains');
        await enableTenantRls(queryRunner, 'tld_prices');
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "tld_prices"`);
        await queryRunner.query(`DROP TABLE "domains"`);
    }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls } from '../src/database/row-level-security';
import { addTenantForeignKey, dropTenantForeignKey, dropTenantUnique } from '../src/database/tenant-keys';

/**
 * Support tickets (issue 18): tickets, their messages and the tenant's ticket departments, each under
 * row-level security; a message's ticket stays inside the tenant and mode (a tenant key). A ticket
 * keeps no key to its customer: like orders and invoices it stays as history if the customer goes.
 * API keys gain the binding of client-portal (personal) tokens: the `customer` user that made one
 * and the customer record it sees.
 */
export class TicketsAndPersonalTokens1797200000000 implements MigrationInterface {
  name = 'TicketsAndPersonalTokens1797200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "tickets" (
        "id" text NOT NULL,
        "tenant_id" text NOT NULL,
        "mode" text NOT NULL,
        "customer_id" text NOT NULL,
        "subject" text NOT NULL,
        "priority" text NOT NULL,
        "status" text NOT NULL,
        "department" text,
        "message_count" integer NOT NULL,
        "last_reply_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "last_reply_by" text NOT NULL,
        "closed_at" TIMESTAMP(3) WITH TIME ZONE,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_8c5bf0a02fa788a106317bfc646" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_tickets_customer" ON "tickets" ("tenant_id", "mode", "customer_id", "created_at")`);
    await queryRunner.query(`CREATE INDEX "idx_tickets_updated" ON "tickets" ("tenant_id", "mode", "updated_at", "id")`);
    await queryRunner.query(`CREATE INDEX "idx_tickets_created" ON "tickets" ("tenant_id", "mode", "created_at", "id")`);
    await queryRunner.query(`
      CREATE TABLE "ticket_messages" (
        "id" text NOT NULL,
        "tenant_id" text NOT NULL,
        "mode" text NOT NULL,
        "ticket_id" text NOT NULL,
        "author_type" text NOT NULL,
        "author_id" text,
        "body" text NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_ecd6596343ee4337184f68e9306" PRIMARY KEY ("tenant_id", "id")
      )`);
    await queryRunner.query(`CREATE INDEX "idx_ticket_messages_ticket" ON "ticket_messages" ("tenant_id", "mode", "ticket_id", "created_at")`);
    await queryRunner.query(`
      CREATE TABLE "ticket_departments" (
        "tenant_id" text NOT NULL,
        "mode" text NOT NULL,
        "key" text NOT NULL,
        "name" text NOT NULL,
        "email" text,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_427110a76fad3f2262cd0d4ad38" PRIMARY KEY ("tenant_id", "mode", "key")
      )`);
    await addTenantForeignKey(queryRunner, 'ticket_messages', 'ticket_id', 'tickets');
    for (const table of ['tickets', 'ticket_messages', 'ticket_departments']) await enableTenantRls(queryRunner, table);

    await queryRunner.query(`ALTER TABLE "api_keys" ADD "user_id" text`);
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "customer_id" text`);
    await queryRunner.query(`CREATE INDEX "idx_api_keys_user" ON "api_keys" ("tenant_id", "user_id", "created_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_api_keys_user"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "customer_id"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "user_id"`);
    await dropTenantForeignKey(queryRunner, 'ticket_messages', 'ticket_id');
    await dropTenantUnique(queryRunner, 'tickets');
    await queryRunner.query(`DROP TABLE "ticket_departments"`);
    await queryRunner.query(`DROP TABLE "ticket_messages"`);
    await queryRunner.query(`DROP TABLE "tickets"`);
  }
}

import { MigrationInterface, QueryRunner } from "typeorm";

export class EventRelayDeadLetters1796232521465 implements MigrationInterface {
    name = 'EventRelayDeadLetters1796232521465'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "relay_attempts" integer NOT NULL DEFAULT '0'
        `);
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "relay_error" text
        `);
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "relay_retry_at" TIMESTAMP(3) WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "relay_pending" text array
        `);
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "dead_lettered_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "dead_lettered_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "relay_pending"
        `);
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "relay_retry_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "relay_error"
        `);
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "relay_attempts"
        `);
    }

}

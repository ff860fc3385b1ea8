import { MigrationInterface, QueryRunner } from "typeorm";

/** The W3C traceparent of the span that recorded an event, so the relay and its jobs continue that trace. */
export class EventTraceParent1796251400000 implements MigrationInterface {
    name = 'EventTraceParent1796251400000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "events"
            ADD "trace_parent" text
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "events" DROP COLUMN "trace_parent"
        `);
    }
}

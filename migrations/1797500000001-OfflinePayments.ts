import { MigrationInterface, QueryRunner } from "typeorm";

/** Issue 17: payments made outside the card flow (bank transfer, cash, cheque) carry their reference and when they were received. */
export class OfflinePayments1797500000001 implements MigrationInterface {
    name = 'OfflinePayments1797500000001'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "payment_intents" ADD "offline_reference" text`);
        await queryRunner.query(`ALTER TABLE "payment_intents" ADD "paid_at" TIMESTAMP(3) WITH TIME ZONE`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "payment_intents" DROP COLUMN "paid_at"`);
        await queryRunner.query(`ALTER TABLE "payment_intents" DROP COLUMN "offline_reference"`);
    }
}

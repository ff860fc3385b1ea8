import { MigrationInterface, QueryRunner } from "typeorm";

export class RefreshSuccessor1796253141000 implements MigrationInterface {
    name = 'RefreshSuccessor1796253141000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD "successor_sealed" text
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP COLUMN "successor_sealed"
        `);
    }
}

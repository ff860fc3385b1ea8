import { MigrationInterface, QueryRunner } from 'typeorm';
import { enableTenantRls, grantRuntimeRole, RUNTIME_ROLE, tenantTables } from '../src/database/row-level-security';

/**
 * Row-level security on every table that has a tenant_id, found at run time (so tables of
 * migrations ordered before this one are covered too), and the runtime role the API and worker
 * connect as. Tables created by later migrations call `enableTenantRls` themselves; the
 * migrations check fails until they do.
 */
export class RowLevelSecurity1796232479968 implements MigrationInterface {
  name = 'RowLevelSecurity1796232479968';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of await tenantTables(queryRunner)) await enableTenantRls(queryRunner, table);
    await grantRuntimeRole(queryRunner);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of await tenantTables(queryRunner)) {
      await queryRunner.query(`DROP POLICY IF EXISTS tenant_isolation ON "${table}"`);
      await queryRunner.query(`DROP POLICY IF EXISTS cross_tenant_path ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${RUNTIME_ROLE}`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM ${RUNTIME_ROLE}`);
  }
}

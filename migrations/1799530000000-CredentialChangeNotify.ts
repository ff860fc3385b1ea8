import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 16: API replicas cache verified API keys and tenant limits in process for a few seconds.
 * Every committed change that could alter an authentication decision NOTIFYs `cbapi_credentials`
 * with the tenant's id ('*' for a plan, which any tenant may be on), so each replica drops what it
 * cached for that tenant at once. Triggers, not application code, send it: a change made by hand
 * in SQL (an operator narrowing a key's scopes or allowed_ips, which no route edits) is announced
 * as surely as a revocation through the API, and only when it commits.
 *
 * An UPDATE announces itself unless it touched only columns no credential check reads (a key's
 * name and last_used_at, which every used key sets once a minute; a user's e-mail, name and
 * password hash; a tenant's name and outstanding verification link); new columns are announced by default.
 */
export class CredentialChangeNotify1799530000000 implements MigrationInterface {
  name = 'CredentialChangeNotify1799530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TG_ARGV[0]: the column naming the tenant ('' = every tenant). An UPDATE announces the old and the new tenant.
    await queryRunner.query(`
      CREATE FUNCTION cbapi_notify_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_tenant text;
        new_tenant text;
      BEGIN
        IF TG_ARGV[0] = '' THEN
          PERFORM pg_notify('cbapi_credentials', '*');
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT' THEN old_tenant := to_jsonb(OLD) ->> TG_ARGV[0]; END IF;
        IF TG_OP <> 'DELETE' THEN new_tenant := to_jsonb(NEW) ->> TG_ARGV[0]; END IF;
        IF old_tenant IS NOT NULL THEN PERFORM pg_notify('cbapi_credentials', old_tenant); END IF;
        IF new_tenant IS NOT NULL AND new_tenant IS DISTINCT FROM old_tenant THEN PERFORM pg_notify('cbapi_credentials', new_tenant); END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_credential_change AFTER UPDATE ON "api_keys" FOR EACH ROW
      WHEN ((to_jsonb(OLD) - 'name' - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'name' - 'last_used_at'))
      EXECUTE FUNCTION cbapi_notify_credential_change('tenant_id')`);
    await queryRunner.query(`
      CREATE TRIGGER api_keys_credential_delete AFTER DELETE ON "api_keys" FOR EACH ROW
      EXECUTE FUNCTION cbapi_notify_credential_change('tenant_id')`);
    await queryRunner.query(`
      CREATE TRIGGER users_credential_change AFTER UPDATE ON "users" FOR EACH ROW
      WHEN ((to_jsonb(OLD) - 'email' - 'name' - 'password_hash' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'email' - 'name' - 'password_hash' - 'updated_at'))
      EXECUTE FUNCTION cbapi_notify_credential_change('tenant_id')`);
    await queryRunner.query(`
      CREATE TRIGGER users_credential_delete AFTER DELETE ON "users" FOR EACH ROW
      EXECUTE FUNCTION cbapi_notify_credential_change('tenant_id')`);
    await queryRunner.query(`
      CREATE TRIGGER tenants_credential_change AFTER UPDATE ON "tenants" FOR EACH ROW
      WHEN ((to_jsonb(OLD) - 'name' - 'verification_token_hash' - 'verification_expires_at' - 'updated_at')
            IS DISTINCT FROM (to_jsonb(NEW) - 'name' - 'verification_token_hash' - 'verification_expires_at' - 'updated_at'))
      EXECUTE FUNCTION cbapi_notify_credential_change('id')`);
    await queryRunner.query(`
      CREATE TRIGGER tenants_credential_delete AFTER DELETE ON "tenants" FOR EACH ROW
      EXECUTE FUNCTION cbapi_notify_credential_change('id')`);
    await queryRunner.query(`
      CREATE TRIGGER plans_credential_change AFTER INSERT OR UPDATE OR DELETE ON "plans" FOR EACH STATEMENT
      EXECUTE FUNCTION cbapi_notify_credential_change('')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [trigger, table] of [
      ['api_keys_credential_change', 'api_keys'], ['api_keys_credential_delete', 'api_keys'],
      ['users_credential_change', 'users'], ['users_credential_delete', 'users'],
      ['tenants_credential_change', 'tenants'], ['tenants_credential_delete', 'tenants'],
      ['plans_credential_change', 'plans'],
    ]) {
      await queryRunner.query(`DROP TRIGGER IF EXISTS "${trigger}" ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION IF EXISTS cbapi_notify_credential_change()`);
  }
}

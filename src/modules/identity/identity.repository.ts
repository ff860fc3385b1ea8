import { Injectable } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { ApiKeyEntity } from './entities/api-key.entity';
import { PlanEntity } from './entities/plan.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { TenantEntity } from './entities/tenant.entity';
import { UserEntity } from './entities/user.entity';

/**
 * Every query of the identity module. Tenant-owned rows are always read through `ctx.tenant`;
 * the only lookups across tenants are the ones that establish who is calling (login by e-mail,
 * API key by lookup prefix, refresh token by hash), and each returns the row's tenant.
 */
@Injectable()
export class IdentityRepository extends TenantScopedRepository {
  // --- tenants
  insertTenant(ctx: RequestContext, tenant: Partial<TenantEntity>): Promise<TenantEntity> {
    return this.m(ctx).save(TenantEntity, this.m(ctx).create(TenantEntity, tenant));
  }

  findTenant(ctx: RequestContext, tenantId: string): Promise<TenantEntity | null> {
    return this.m(ctx).findOneBy(TenantEntity, { id: tenantId });
  }

  /** A new verification link for the tenant (the previous one stops working). */
  async setVerificationToken(ctx: RequestContext, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.m(ctx).update(TenantEntity, { id: ctx.tenant }, { verificationTokenHash: tokenHash, verificationExpiresAt: expiresAt });
  }

  /** Follows a verification link in one guarded statement: only an unexpired token, used once. Returns the tenant id or null. */
  async verifyTenantByTokenHash(ctx: RequestContext, tokenHash: string, now: Date): Promise<string | null> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows]: [{ id: string }[], number] = await this.tx.acrossTenants('tenant_verification_token', (m) => m.query(
      `UPDATE tenants SET email_verified_at = $2, verification_token_hash = NULL, verification_expires_at = NULL, updated_at = now()
       WHERE verification_token_hash = $1 AND verification_expires_at > $2
       RETURNING id`,
      [tokenHash, now],
    ), ctx);
    return rows[0]?.id ?? null;
  }

  updateTenantPlan(ctx: RequestContext, tenantId: string, plan: string): Promise<unknown> {
    return this.m(ctx).update(TenantEntity, { id: tenantId }, { plan });
  }

  // --- plans (shared reference data, no tenant)
  findPlanByName(ctx: RequestContext, name: string): Promise<PlanEntity | null> {
    return this.m(ctx).findOneBy(PlanEntity, { name });
  }

  findPlan(ctx: RequestContext, id: string): Promise<PlanEntity | null> {
    return this.m(ctx).findOneBy(PlanEntity, { id });
  }

  listPlans(ctx: RequestContext): Promise<PlanEntity[]> {
    return this.m(ctx).find(PlanEntity, { order: { name: 'ASC' }, take: 200 });
  }

  savePlan(ctx: RequestContext, plan: Partial<PlanEntity>): Promise<PlanEntity> {
    return this.m(ctx).save(PlanEntity, this.m(ctx).create(PlanEntity, plan));
  }

  /** Active API keys of the tenant (both modes; personal tokens are counted apart). */
  countActiveApiKeys(ctx: RequestContext): Promise<number> {
    return this.m(ctx).countBy(ApiKeyEntity, { tenantId: ctx.tenant, revokedAt: IsNull(), customerId: IsNull() });
  }

  /** Serialises key creation per tenant for the rest of the transaction, so the cap holds under races. */
  async lockApiKeyCreation(ctx: RequestContext): Promise<void> {
    await this.lockUntilCommit(ctx, 'api_keys', [], { acrossModes: true });
  }

  // --- users
  insertUser(ctx: RequestContext, user: Partial<UserEntity>): Promise<UserEntity> {
    return this.m(ctx).save(UserEntity, this.m(ctx).create(UserEntity, { ...user, tenantId: ctx.tenant }));
  }

  findUser(ctx: RequestContext, id: string): Promise<UserEntity | null> {
    return this.m(ctx).findOneBy(UserEntity, { id, tenantId: ctx.tenant });
  }

  /** Inside a transaction, after lockOwners (always that order, so changes never deadlock). */
  findUserForUpdate(ctx: RequestContext, id: string): Promise<UserEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(UserEntity, 'u')
      .setLock('pessimistic_write')
      .where('u.id = :id AND u.tenant_id = :tenant', { id, tenant: ctx.tenant })
      .getOne();
  }

  /** Login only: the same e-mail may exist in several tenants. */
  findUsersByEmail(ctx: RequestContext, email: string, tenantId?: string): Promise<UserEntity[]> {
    return this.tx.acrossTenants('login_by_email', (m) => m.find(UserEntity, { where: tenantId ? { email, tenantId } : { email }, take: 10 }), ctx);
  }

  listUsers(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, role?: string) {
    const qb = this.m(ctx).createQueryBuilder(UserEntity, 'u').where('u.tenant_id = :tenant', { tenant: ctx.tenant });
    if (role) qb.andWhere('u.role = :role', { role });
    return paginate(qb, page, {
      name: 'created_at', column: 'u.created_at', idColumn: 'u.id', order: sort.order,
      valueOf: (u) => u.createdAt, idOf: (u) => u.id,
    });
  }

  saveUser(ctx: RequestContext, user: UserEntity): Promise<UserEntity> {
    return this.m(ctx).save(UserEntity, user);
  }

  async deleteUser(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).delete(UserEntity, { id, tenantId: ctx.tenant });
  }

  /**
   * Inside a transaction: locks the tenant's owner rows, always in id order (so two callers never
   * deadlock), and returns their ids. A concurrent demotion waits here, and once it commits a
   * demoted row no longer matches, so two owners demoting each other can never leave none.
   */
  async lockOwners(ctx: RequestContext): Promise<string[]> {
    const rows = await this.m(ctx)
      .createQueryBuilder(UserEntity, 'u')
      .select('u.id', 'id')
      .where("u.tenant_id = :tenant AND u.role = 'owner'", { tenant: ctx.tenant })
      .orderBy('u.id', 'ASC')
      .setLock('pessimistic_write')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Authentication only: the user's current token version, or null when the user is gone. */
  async findUserTokenVersion(ctx: RequestContext, userId: string): Promise<number | null> {
    const row = await this.m(ctx).findOne(UserEntity, { where: { id: userId, tenantId: ctx.tenant }, select: { id: true, tokenVersion: true } });
    return row ? row.tokenVersion : null;
  }

  // --- API keys
  insertApiKey(ctx: RequestContext, key: Partial<ApiKeyEntity>): Promise<ApiKeyEntity> {
    return this.m(ctx).save(ApiKeyEntity, this.m(ctx).create(ApiKeyEntity, { ...key, tenantId: ctx.tenant }));
  }

  /** Authentication only: finds a live key by the public part of its secret. */
  findActiveApiKeyByLookup(ctx: RequestContext, lookup: string): Promise<ApiKeyEntity | null> {
    return this.tx.acrossTenants('api_key_lookup', (m) => m.findOneBy(ApiKeyEntity, { lookup, revokedAt: IsNull() }), ctx);
  }

  findApiKey(ctx: RequestContext, id: string): Promise<ApiKeyEntity | null> {
    return this.m(ctx).findOneBy(ApiKeyEntity, { id, tenantId: ctx.tenant });
  }

  listApiKeys(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, mode?: string) {
    // Customers' personal tokens are theirs to list (GET /me/api-tokens), not part of the tenant's keys.
    const qb = this.m(ctx).createQueryBuilder(ApiKeyEntity, 'k').where('k.tenant_id = :tenant AND k.customer_id IS NULL', { tenant: ctx.tenant });
    if (mode) qb.andWhere('k.mode = :mode', { mode });
    return paginate(qb, page, {
      name: 'created_at', column: 'k.created_at', idColumn: 'k.id', order: sort.order,
      valueOf: (k) => k.createdAt, idOf: (k) => k.id,
    });
  }

  /** A customer user's personal tokens (both modes, revoked ones included), newest first by default. */
  listPersonalTokens(ctx: RequestContext, userId: string, page: PageQuery, sort: { order: SortOrder }) {
    const qb = this.m(ctx)
      .createQueryBuilder(ApiKeyEntity, 'k')
      .where('k.tenant_id = :tenant AND k.user_id = :userId AND k.customer_id IS NOT NULL', { tenant: ctx.tenant, userId });
    return paginate(qb, page, {
      name: 'created_at', column: 'k.created_at', idColumn: 'k.id', order: sort.order,
      valueOf: (k) => k.createdAt, idOf: (k) => k.id,
    });
  }

  findPersonalToken(ctx: RequestContext, userId: string, id: string): Promise<ApiKeyEntity | null> {
    return this.m(ctx).findOneBy(ApiKeyEntity, { id, tenantId: ctx.tenant, userId, customerId: Not(IsNull()) });
  }

  async revokeApiKey(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).update(ApiKeyEntity, { id, tenantId: ctx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async touchApiKey(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).update(ApiKeyEntity, { id, tenantId: ctx.tenant }, { lastUsedAt: () => 'now()' });
  }

  // --- refresh tokens
  insertRefreshToken(ctx: RequestContext, token: Partial<RefreshTokenEntity>): Promise<RefreshTokenEntity> {
    return this.m(ctx).save(RefreshTokenEntity, this.m(ctx).create(RefreshTokenEntity, { ...token, tenantId: ctx.tenant }));
  }

  /** Authentication only, inside a transaction: locks the token so two refreshes cannot both rotate it. */
  findRefreshTokenForUpdate(ctx: RequestContext, tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tx.acrossTenants('refresh_token_lookup', (m) => m
      .createQueryBuilder(RefreshTokenEntity, 't')
      .setLock('pessimistic_write')
      .where('t.token_hash = :tokenHash', { tokenHash })
      .getOne(), ctx);
  }

  /** Marks the token rotated at `usedAt` and keeps its sealed successor for the reuse grace window. */
  async markRefreshTokenUsed(ctx: RequestContext, id: string, usedAt: Date, successorSealed: string | null): Promise<void> {
    await this.m(ctx).update(RefreshTokenEntity, { id, tenantId: ctx.tenant }, { usedAt, successorSealed });
  }

  /** Drops the sealed successors of a family's tokens rotated before `usedBefore` (their grace window is over). */
  async forgetSuccessors(ctx: RequestContext, familyId: string, usedBefore: Date): Promise<void> {
    await this.m(ctx)
      .createQueryBuilder()
      .update(RefreshTokenEntity)
      .set({ successorSealed: null })
      .where('tenant_id = :tenant AND family_id = :familyId AND successor_sealed IS NOT NULL AND used_at < :usedBefore', {
        tenant: ctx.tenant, familyId, usedBefore,
      })
      .execute();
  }

  /** The family of the user's own refresh token (logout with the cookie transport), or null. */
  async findRefreshTokenFamily(ctx: RequestContext, tokenHash: string, userId: string): Promise<string | null> {
    const row = await this.m(ctx).findOne(RefreshTokenEntity, { where: { tokenHash, tenantId: ctx.tenant, userId }, select: { id: true, familyId: true } });
    return row?.familyId ?? null;
  }

  async revokeFamily(ctx: RequestContext, familyId: string): Promise<void> {
    await this.m(ctx).update(RefreshTokenEntity, { familyId, tenantId: ctx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Active families of a user, to end every session when the user is deleted. */
  async familiesOfUser(ctx: RequestContext, userId: string): Promise<string[]> {
    const rows = await this.m(ctx)
      .createQueryBuilder(RefreshTokenEntity, 't')
      .select('DISTINCT t.family_id', 'family_id')
      .where('t.tenant_id = :tenant AND t.user_id = :userId AND t.revoked_at IS NULL', { tenant: ctx.tenant, userId })
      .getRawMany<{ family_id: string }>();
    return rows.map((r) => r.family_id);
  }

  /** E-mail addresses of the tenant's users with one of `roles`, oldest user first (alert recipients). */
  async userEmailsByRoles(ctx: RequestContext, roles: readonly string[]): Promise<string[]> {
    if (roles.length === 0) return [];
    const rows = await this.m(ctx)
      .createQueryBuilder(UserEntity, 'u')
      .select('u.email', 'email')
      .where('u.tenant_id = :tenant AND u.role IN (:...roles)', { tenant: ctx.tenant, roles: [...roles] })
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(50)
      .getRawMany<{ email: string }>();
    return rows.map((r) => r.email);
  }

  /** Logins confined to one customer record (customer users). */
  countCustomerUsers(ctx: RequestContext, customerId: string): Promise<number> {
    return this.m(ctx).countBy(UserEntity, { tenantId: ctx.tenant, role: 'customer', customerId });
  }
}

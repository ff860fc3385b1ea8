import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import { TransactionService } from '../../database/transaction.service';
import type { Mode, RequestContext } from '../../platform/context/request-context';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { OAuthClientEntity } from './entities/oauth-client.entity';
import { OAuthCodeEntity } from './entities/oauth-code.entity';
import { OAuthGrantEntity } from './entities/oauth-grant.entity';
import { OAuthTokenEntity } from './entities/oauth-token.entity';

/** A second exchange of the code marked it while the first was on its way: the first issues nothing. */
class CodeReusedMeanwhile extends Error {}

/** A token row with what decides whether it still works: its client's and its grant's revocation. */
export interface TokenLookup {
  token: OAuthTokenEntity;
  clientName: string;
  clientRevoked: boolean;
  grantRevoked: boolean;
}

/** Clients, grants, codes and tokens. Lookups by secret hash cross tenants (named in cross-tenant.ts); the rest is scoped. */
@Injectable()
export class OAuthRepository extends TenantScopedRepository {
  constructor(tx: TransactionService) {
    super(tx);
  }

  // --- clients (the registering tenant's)
  insertClient(ctx: RequestContext, client: Omit<OAuthClientEntity, 'tenantId' | 'createdAt' | 'revokedAt'>): Promise<OAuthClientEntity> {
    const m = this.m(ctx);
    return m.save(OAuthClientEntity, m.create(OAuthClientEntity, { ...client, tenantId: ctx.tenant, revokedAt: null }));
  }

  listClients(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }, mode?: Mode) {
    const qb = this.m(ctx).createQueryBuilder(OAuthClientEntity, 'c').where('c.tenant_id = :tenant AND c.revoked_at IS NULL', { tenant: ctx.tenant });
    if (mode) qb.andWhere('c.mode = :mode', { mode });
    return paginate(qb, page, {
      name: 'created_at', column: 'c.created_at', idColumn: 'c.id', order: sort.order,
      valueOf: (c) => c.createdAt, idOf: (c) => c.id,
    });
  }

  findOwnClient(ctx: RequestContext, id: string): Promise<OAuthClientEntity | null> {
    return this.m(ctx).findOneBy(OAuthClientEntity, { id, tenantId: ctx.tenant, revokedAt: IsNull() });
  }

  /**
   * Deletes (revokes) the tenant's client and, in the same transaction, ends what it holds in every
   * tenant: the grants tenants gave it (so it leaves their authorized apps) and its live tokens. Used
   * refresh tokens are left as they are: their grant is ended, and they age out with it.
   */
  async deleteClient(ctx: RequestContext, id: string): Promise<void> {
    await this.tx.run(ctx, async (tx) => {
      await this.m(tx).update(OAuthClientEntity, { id, tenantId: tx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      await this.tx.acrossTenants('oauth_client_deletion', async (m) => {
        await m.update(OAuthGrantEntity, { clientId: id, revokedAt: IsNull() }, { revokedAt: () => 'now()', revokedReason: 'client_deleted' });
        await m.createQueryBuilder().update(OAuthTokenEntity).set({ revokedAt: () => 'now()' })
          .where('client_id = :id AND revoked_at IS NULL AND rotated_at IS NULL AND expires_at > now()', { id })
          .execute();
      }, tx);
    });
  }

  /** Any tenant's active client: the protocol endpoints know only the client_id. */
  findClient(base: RequestContext, id: string): Promise<OAuthClientEntity | null> {
    return this.tx.acrossTenants('oauth_client_lookup', (m) => m.findOneBy(OAuthClientEntity, { id, revokedAt: IsNull() }), base);
  }

  /** Whether any active client lists this browser origin (a CORS preflight names no client). */
  async isCorsOriginOfAnyClient(base: RequestContext, origin: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.acrossTenants('oauth_cors_preflight', (m) => m.query(
      'SELECT 1 FROM oauth_clients WHERE revoked_at IS NULL AND cors_origins @> ARRAY[$1]::text[] LIMIT 1',
      [origin],
    ), base);
    return rows.length > 0;
  }

  // --- codes (the consenting tenant's)
  async insertCode(ctx: RequestContext, code: Omit<OAuthCodeEntity, 'tenantId' | 'createdAt' | 'consumedAt' | 'grantId' | 'reusedAt'>): Promise<void> {
    await this.m(ctx).insert(OAuthCodeEntity, { ...code, tenantId: ctx.tenant, consumedAt: null, grantId: null, reusedAt: null });
  }

  findCodeByHash(base: RequestContext, codeHash: string): Promise<OAuthCodeEntity | null> {
    return this.tx.acrossTenants('oauth_token_lookup', (m) => m.findOneBy(OAuthCodeEntity, { codeHash }), base);
  }

  /** One guarded UPDATE: of two exchanges of a code, exactly one claims it. */
  async consumeCode(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.m(ctx).update(OAuthCodeEntity, { id, tenantId: ctx.tenant, consumedAt: IsNull() }, { consumedAt: () => 'now()' });
    return (result.affected ?? 0) === 1;
  }

  /**
   * Marks a second exchange of a code and returns the grant the first one opened. The UPDATE waits
   * for the first exchange's transaction (it holds the row), so the grant is there once it commits;
   * an exchange that has not reached its transaction yet sees the mark and issues nothing.
   */
  async markCodeReused(ctx: RequestContext, id: string): Promise<string | null> {
    const m = this.m(ctx);
    await m.update(OAuthCodeEntity, { id, tenantId: ctx.tenant }, { reusedAt: () => 'now()' });
    return (await m.findOneBy(OAuthCodeEntity, { id, tenantId: ctx.tenant }))?.grantId ?? null;
  }

  // --- grants
  listGrants(ctx: RequestContext, page: PageQuery, sort: { order: SortOrder }) {
    const qb = this.m(ctx).createQueryBuilder(OAuthGrantEntity, 'g')
      .where('g.tenant_id = :tenant AND g.revoked_at IS NULL AND g.expires_at > now()', { tenant: ctx.tenant });
    return paginate(qb, page, {
      name: 'created_at', column: 'g.created_at', idColumn: 'g.id', order: sort.order,
      valueOf: (g) => g.createdAt, idOf: (g) => g.id,
    });
  }

  findActiveGrant(ctx: RequestContext, id: string): Promise<OAuthGrantEntity | null> {
    return this.m(ctx).findOneBy(OAuthGrantEntity, { id, tenantId: ctx.tenant, revokedAt: IsNull() });
  }

  /** Ends a grant and every token issued from it, in one transaction. */
  async revokeGrant(ctx: RequestContext, id: string, reason: string): Promise<void> {
    await this.tx.run(ctx, async (tx) => {
      const m = this.m(tx);
      await m.update(OAuthGrantEntity, { id, tenantId: tx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()', revokedReason: reason });
      await m.update(OAuthTokenEntity, { grantId: id, tenantId: tx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    });
  }

  // --- tokens
  /**
   * Records what one token request issued in one transaction: a code's exchange also opens its grant;
   * a refresh moves its grant's expiry on to the new refresh token's. False when the code was reused meanwhile.
   */
  async recordIssued(
    ctx: RequestContext,
    issued: {
      grant?: Omit<OAuthGrantEntity, 'tenantId' | 'createdAt' | 'revokedAt' | 'revokedReason'>;
      codeId?: string;
      extendGrant?: { id: string; until: Date };
      tokens: Omit<OAuthTokenEntity, 'tenantId' | 'createdAt' | 'rotatedAt' | 'revokedAt'>[];
    },
  ): Promise<boolean> {
    try {
      await this.tx.run(ctx, async (tx) => {
        const m = this.m(tx);
        if (issued.grant) await m.insert(OAuthGrantEntity, { ...issued.grant, tenantId: tx.tenant, revokedAt: null, revokedReason: null });
        if (issued.extendGrant) {
          await m.createQueryBuilder().update(OAuthGrantEntity).set({ expiresAt: () => 'greatest(expires_at, :until)' })
            .where('tenant_id = :tenant AND id = :id', { tenant: tx.tenant, id: issued.extendGrant.id, until: issued.extendGrant.until })
            .execute();
        }
        if (issued.grant && issued.codeId) {
          const linked = await m.update(OAuthCodeEntity, { id: issued.codeId, tenantId: tx.tenant, reusedAt: IsNull() }, { grantId: issued.grant.id });
          if ((linked.affected ?? 0) !== 1) throw new CodeReusedMeanwhile();
        }
        await m.insert(OAuthTokenEntity, issued.tokens.map((t) => ({ ...t, tenantId: tx.tenant, rotatedAt: null, revokedAt: null })));
      });
      return true;
    } catch (err) {
      if (err instanceof CodeReusedMeanwhile) return false; // rolled back: nothing was issued
      throw err;
    }
  }

  /** A token by hash with its client's and grant's state, whatever its tenant (the token names it). */
  findTokenByHash(base: RequestContext, tokenHash: string): Promise<TokenLookup | null> {
    return this.tx.acrossTenants('oauth_token_lookup', async (m) => {
      const token = await m.findOneBy(OAuthTokenEntity, { tokenHash });
      if (!token) return null;
      const client = await m.findOneBy(OAuthClientEntity, { id: token.clientId });
      const grant = token.grantId ? await m.findOneBy(OAuthGrantEntity, { id: token.grantId, tenantId: token.tenantId }) : null;
      return {
        token,
        clientName: client?.name ?? '',
        clientRevoked: !client || client.revokedAt !== null,
        grantRevoked: token.grantId !== null && (!grant || grant.revokedAt !== null),
      };
    }, base);
  }

  /** One guarded UPDATE: a refresh token rotates once; a second presenter loses. */
  async rotateRefreshToken(ctx: RequestContext, id: string): Promise<boolean> {
    const result = await this.m(ctx).update(OAuthTokenEntity, { id, tenantId: ctx.tenant, kind: 'refresh', rotatedAt: IsNull(), revokedAt: IsNull() }, { rotatedAt: () => 'now()' });
    return (result.affected ?? 0) === 1;
  }

  async revokeToken(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).update(OAuthTokenEntity, { id, tenantId: ctx.tenant, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, FindOptionsWhere } from 'typeorm';
import type { Mode, RequestContext } from '../platform/context/request-context';
import { NotFoundError } from '../platform/errors/domain-errors';
import type { RunSql } from '../platform/pagination/paginate-sql';
import { TransactionService } from './transaction.service';

/** A row that belongs to one tenant in one mode: every tenant table's entity. */
export interface TenantRow {
  id: string;
  tenantId: string;
  mode: Mode;
}

/**
 * What every repository of a module extends: queries go through `m(ctx)`, the manager scoped to
 * the request's tenant and mode (the open transaction's when there is one, so row-level security
 * sees the right `app.tenant_id` / `app.mode`), and each WHERE still names `scope(ctx)` itself.
 * `tx` stays available for the few named cross-tenant paths (`tx.acrossTenants`).
 */
@Injectable()
export abstract class TenantScopedRepository {
  constructor(protected readonly tx: TransactionService) {}

  /** The manager to query with for `ctx` (TransactionService.managerFor). */
  protected m(ctx: RequestContext): EntityManager {
    return this.tx.managerFor(ctx);
  }

  /**
   * One plain SQL statement through `m(ctx)`, for the hot reads that skip TypeORM's query building
   * and hydration (paginateSql); the statement still names the tenant and mode in its WHERE.
   */
  protected sql(ctx: RequestContext): RunSql {
    const manager = this.m(ctx);
    return <T>(text: string, params: unknown[]) => manager.query(text, params) as Promise<T[]>;
  }

  /** The tenant and mode columns of ctx, for WHERE clauses and new rows. */
  protected scope(ctx: RequestContext): { tenantId: string; mode: Mode } {
    return { tenantId: ctx.tenant, mode: ctx.mode };
  }

  /**
   * Holds a transaction-scoped advisory lock on `name` for ctx's tenant (and mode, unless `acrossModes`) and
   * `parts` until the transaction ends: a concurrent caller with the same key waits here, then sees what the
   * first one committed. For check-then-write rules (caps, replace-all, one default) that no row lock covers.
   */
  protected async lockUntilCommit(ctx: RequestContext, name: string, parts: readonly string[] = [], opts: { acrossModes?: boolean } = {}): Promise<void> {
    const key = [name, ctx.tenant, ...(opts.acrossModes ? [] : [ctx.mode]), ...parts].join(':');
    await this.m(ctx).query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  /**
   * The `entity` row with this id in ctx's tenant and mode (and matching `where`), else
   * NotFoundError(resource, id) — a 404 "No such <resource>: '<id>'", the same answer for an id of
   * another tenant as for one that never existed.
   */
  protected async getOrThrow<E extends TenantRow>(
    ctx: RequestContext,
    entity: EntityTarget<E>,
    resource: string,
    id: string,
    where: FindOptionsWhere<E> = {},
  ): Promise<E> {
    const row = await this.m(ctx).findOneBy(entity, { ...where, id, ...this.scope(ctx) } as FindOptionsWhere<E>);
    if (!row) throw new NotFoundError(resource, id);
    return row;
  }
}

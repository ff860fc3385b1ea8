import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RequestContext } from '../platform/context/request-context';
import type { CrossTenantReason } from './cross-tenant';
import { crossTenantScope, isUnscoped, openScopedRunner, scopedManager, scopeOf, withCrossTenant, type ScopedQueryRunner } from './tenant-scope';

/**
 * Runs work in one transaction and hands the callee a `ctx` that carries its manager. A callee
 * that is already inside a transaction joins it, so services compose without nested commits.
 *
 * Every manager it hands out is scoped for row-level security: the transaction (or, outside
 * one, each statement) runs with `app.tenant_id` / `app.mode` from the ctx. Crossing tenants
 * takes `acrossTenants` with a reason from `CrossTenantReason` (cross-tenant.ts lists them).
 */
@Injectable()
export class TransactionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<T>(ctx: RequestContext, work: (txCtx: RequestContext) => Promise<T>): Promise<T> {
    const open = openScopedRunner(ctx.manager);
    if (open) {
      open.scopeTo(scopeOf(ctx));
      return work(ctx);
    }
    if (ctx.manager?.queryRunner?.isTransactionActive) return work(ctx); // a transaction not opened through us
    return this.transaction((runner) => runner.scopeTo(scopeOf(ctx)), (manager) => work(ctx.withManager(manager)));
  }

  /**
   * Runs several reads in ONE read-only transaction instead of one short transaction per statement:
   * START TRANSACTION READ ONLY travels with the settings (one round trip), then the reads, then a
   * COMMIT queued on the connection as it goes back to the pool (not waited for: a read-only
   * transaction has nothing to commit). Inside an open transaction it joins that one. `work` must
   * only read — a write fails in a read-only transaction — and must not wait for a second pooled
   * connection (no acrossTenants without ctx) while this one is held.
   */
  async read<T>(ctx: RequestContext, work: (readCtx: RequestContext) => Promise<T>): Promise<T> {
    const open = openScopedRunner(ctx.manager);
    if (open) {
      open.scopeTo(scopeOf(ctx));
      return work(ctx);
    }
    if (ctx.manager?.queryRunner?.isTransactionActive) return work(ctx); // a transaction not opened through us
    const scope = scopeOf(ctx);
    if (isUnscoped(scope)) return work(ctx); // sees no tenant row: nothing to share a transaction for
    const runner = (this.dataSource.createQueryRunner() as ScopedQueryRunner).scopeTo(scope);
    let handedBack = false;
    try {
      await runner.startReadOnlyTransaction();
      const result = await work(ctx.withManager(runner.manager));
      handedBack = true;
      runner.commitQueuedAndRelease();
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      if (!handedBack) await runner.release();
    }
  }

  /**
   * The manager to query with: the open transaction's when there is one (now scoped to `ctx`),
   * else one whose statements each run in a short transaction scoped to `ctx`.
   */
  managerFor(ctx: RequestContext): EntityManager {
    const open = openScopedRunner(ctx.manager);
    if (open) {
      open.scopeTo(scopeOf(ctx));
      return ctx.manager!;
    }
    if (ctx.manager?.queryRunner?.isTransactionActive) return ctx.manager;
    return scopedManager(this.dataSource, scopeOf(ctx));
  }

  /**
   * Runs `work` with a manager that sees every tenant's rows, for `reason` only: inside ctx's open
   * transaction when there is one (the tenant scope comes back when work ends), else in a
   * transaction of its own.
   */
  async acrossTenants<T>(reason: CrossTenantReason, work: (manager: EntityManager) => Promise<T>, ctx?: RequestContext): Promise<T> {
    if (openScopedRunner(ctx?.manager)) return withCrossTenant(ctx!.manager!, reason, work);
    return this.transaction((runner) => runner.beginCrossTenant(reason), work);
  }

  /**
   * A cross-tenant manager outside any transaction, each statement on its own: for workers that
   * must not hold a transaction across network calls (webhook delivery).
   */
  managerAcrossTenants(reason: CrossTenantReason): EntityManager {
    return scopedManager(this.dataSource, crossTenantScope(reason));
  }

  private async transaction<T>(prepare: (runner: ScopedQueryRunner) => void, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner() as ScopedQueryRunner;
    prepare(runner);
    try {
      await runner.startTransaction();
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }
}

import { escapeLiteral } from 'pg';
import { EntityManager, type DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import type { RequestContext } from '../platform/context/request-context';
import type { CrossTenantReason } from './cross-tenant';

/**
 * What the row-level security policies see (migrations/support/rls.ts): `app.tenant_id`,
 * `app.mode` and `app.cross_tenant`, always set with `set_config(…, true)` (SET LOCAL), so they
 * end with the transaction and never outlive it on a pooled connection. Empty = not set: a
 * statement without a scope sees no tenant row at all.
 */
export interface DbScope {
  readonly tenantId: string;
  readonly mode: string;
  /** A CrossTenantReason while a named cross-tenant path runs; '' otherwise. */
  readonly crossTenant: string;
}

export const NO_SCOPE: DbScope = Object.freeze({ tenantId: '', mode: '', crossTenant: '' });

export function scopeOf(ctx: RequestContext): DbScope {
  return ctx.tenantId ? { tenantId: ctx.tenantId, mode: ctx.mode, crossTenant: '' } : NO_SCOPE;
}

export function crossTenantScope(reason: CrossTenantReason): DbScope {
  return { ...NO_SCOPE, crossTenant: reason };
}

function sameScope(a: DbScope | null, b: DbScope): boolean {
  return !!a && a.tenantId === b.tenantId && a.mode === b.mode && a.crossTenant === b.crossTenant;
}

export function isUnscoped(s: DbScope): boolean {
  return !s.tenantId && !s.crossTenant;
}

const SET_SCOPE = `SELECT set_config('app.tenant_id', $1, true), set_config('app.mode', $2, true), set_config('app.cross_tenant', $3, true)`;

/** The same settings as literals, to travel with START TRANSACTION in one round trip (simple protocol). */
function setScopeLiteral(s: DbScope): string {
  return `SELECT set_config('app.tenant_id', ${escapeLiteral(s.tenantId)}, true), set_config('app.mode', ${escapeLiteral(s.mode)}, true), set_config('app.cross_tenant', ${escapeLiteral(s.crossTenant)}, true)`;
}

// Statements that must run exactly as TypeORM sends them: transaction control (the settings are
// applied right after START, and an aborted transaction accepts nothing but ROLLBACK).
const TRANSACTION_CONTROL = /^\s*(START TRANSACTION|SET TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b/i;

// A SELECT that takes no row locks: it writes nothing, so its own transaction has nothing to commit.
const PLAIN_READ = /^\s*SELECT\b(?![\s\S]*\bFOR\s+(UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b)/i;

/**
 * Every query runner of the app's data source (installTenantScope). It carries the scope its
 * next statement must run under and applies it lazily inside the transaction:
 * - in a transaction: the settings are set with START (one round trip) or, when the scope was
 *   changed later (sign-up switching to the new tenant, a cross-tenant lookup inside a tenant
 *   transaction), just before the next statement;
 * - outside a transaction, a scoped statement runs in its own short transaction on a fresh
 *   pooled connection ([START + settings], statement, COMMIT — not waited for after a plain
 *   SELECT), so concurrent statements through one manager stay independent, as they were with
 *   TypeORM's default manager;
 * - an unscoped statement outside a transaction runs as is (it sees no tenant rows), on the
 *   runner's connection.
 *
 * No runner keeps a pooled connection between statements unless its transaction is open: a
 * request or job then holds at most one connection at any moment and never waits for a second
 * while it holds one (with a pool of N, N such callers would otherwise starve each other).
 */
export class ScopedQueryRunner extends PostgresQueryRunner {
  private wanted: DbScope = NO_SCOPE;
  private applied: DbScope | null = null;
  private readonly crossReasons: string[] = [];

  constructor(driver: PostgresDriver, mode: 'master' | 'slave') {
    super(driver, mode);
  }

  /** The scope of the next statements (the ctx a repository was called with). */
  scopeTo(scope: DbScope): this {
    this.wanted = scope;
    return this;
  }

  get effectiveScope(): DbScope {
    const reason = this.crossReasons[this.crossReasons.length - 1];
    return reason ? { ...this.wanted, crossTenant: reason } : this.wanted;
  }

  /** Opens a named cross-tenant window in the open transaction; close it with endCrossTenant. */
  beginCrossTenant(reason: CrossTenantReason): void {
    this.crossReasons.push(reason);
  }

  endCrossTenant(): void {
    this.crossReasons.pop();
  }

  override async startTransaction(isolationLevel?: Parameters<PostgresQueryRunner['startTransaction']>[0]): Promise<void> {
    const scope = this.effectiveScope;
    if (this.transactionDepth > 0 || isolationLevel || this.dataSource.options.isolationLevel || isUnscoped(scope)) {
      await super.startTransaction(isolationLevel);
      if (this.transactionDepth === 1) this.applied = isUnscoped(scope) ? NO_SCOPE : null;
      return;
    }
    await this.startScoped('START TRANSACTION', scope);
  }

  /**
   * START TRANSACTION READ ONLY with the settings in its round trip, for several reads that share
   * one transaction (TransactionService.read): nothing in it can write, so it may end with
   * commitQueuedAndRelease. Needs a scope; a runner already in a transaction is refused.
   */
  async startReadOnlyTransaction(): Promise<void> {
    const scope = this.effectiveScope;
    if (this.transactionDepth > 0 || this.isTransactionActive || isUnscoped(scope)) {
      throw new Error('startReadOnlyTransaction needs a scoped runner outside any transaction');
    }
    await this.startScoped('START TRANSACTION READ ONLY', scope);
  }

  /** Same steps as TypeORM's startTransaction, with the settings in START's round trip. */
  private async startScoped(start: 'START TRANSACTION' | 'START TRANSACTION READ ONLY', scope: DbScope): Promise<void> {
    this.isTransactionActive = true;
    try {
      await this.broadcaster.broadcast('BeforeTransactionStart');
    } catch (err) {
      this.isTransactionActive = false;
      throw err;
    }
    try {
      await super.query(`${start}; ${setScopeLiteral(scope)}`);
    } catch (err) {
      this.isTransactionActive = false;
      throw err;
    }
    this.applied = scope;
    this.transactionDepth += 1;
    await this.broadcaster.broadcast('AfterTransactionStart');
  }

  override async commitTransaction(): Promise<void> {
    await super.commitTransaction();
    this.afterTransaction();
  }

  override async rollbackTransaction(): Promise<void> {
    try {
      await super.rollbackTransaction();
    } finally {
      this.afterTransaction();
    }
  }

  override async query(query: string, parameters?: unknown[], useStructuredResult = false): Promise<unknown> {
    if (TRANSACTION_CONTROL.test(query)) return super.query(query, parameters, useStructuredResult);
    const scope = this.effectiveScope;
    if (!this.isTransactionActive) {
      if (!isUnscoped(scope)) return this.inOwnTransaction(scope, query, parameters, useStructuredResult);
      return super.query(query, parameters, useStructuredResult);
    }
    if (!sameScope(this.applied, scope)) {
      this.applied = scope;
      await super.query(SET_SCOPE, [scope.tenantId, scope.mode, scope.crossTenant]);
    }
    return super.query(query, parameters, useStructuredResult);
  }

  private async inOwnTransaction(scope: DbScope, query: string, parameters: unknown[] | undefined, structured: boolean): Promise<unknown> {
    const runner = (this.dataSource.createQueryRunner() as ScopedQueryRunner).scopeTo(scope);
    let released = false;
    try {
      await runner.startTransaction();
      const result = await runner.query(query, parameters, structured);
      if (PLAIN_READ.test(query)) {
        // A plain read has nothing to commit: its answer is final, so the caller waits neither for
        // COMMIT nor for the connection, which goes back to the pool with COMMIT queued on it.
        released = true;
        runner.commitQueuedAndRelease();
        return result;
      }
      await runner.commitTransaction();
      return result;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      if (!released) await runner.release();
    }
  }

  /**
   * Ends this runner's read-only transaction and releases it without waiting: COMMIT is queued on
   * the connection before the connection goes back to the pool, and node-postgres runs a
   * connection's queries in order, so whoever takes it next starts after the COMMIT. (A COMMIT
   * that fails still ends the transaction; a broken connection is dropped by the pool. The COMMIT
   * goes past TypeORM's query logger, as the one it replaces was never awaited either.) pg 8 queues
   * a query behind the active one; should a pg major stop doing so, the pool-of-one e2e test
   * (database-pool-one-connection) fails at once. Only for a transaction that wrote nothing.
   */
  commitQueuedAndRelease(): void {
    const connection = this.databaseConnection;
    if (!connection || this.transactionDepth !== 1) {
      void this.commitTransaction().catch(() => undefined).finally(() => this.release());
      return;
    }
    connection.query('COMMIT').catch(() => undefined);
    this.isTransactionActive = false;
    this.transactionDepth = 0;
    this.afterTransaction();
    void this.release();
  }

  private afterTransaction(): void {
    if (this.isTransactionActive) return;
    this.applied = null;
    this.crossReasons.length = 0;
  }
}

/** Makes every query runner of `dataSource` a ScopedQueryRunner. Call before initialize(). */
export function installTenantScope(dataSource: DataSource): DataSource {
  const driver = dataSource.driver as PostgresDriver;
  driver.createQueryRunner = (mode: 'master' | 'slave' = 'master') => new ScopedQueryRunner(driver, mode);
  return dataSource;
}

/** The scoped runner behind a manager, when its transaction is open. */
export function openScopedRunner(manager: EntityManager | undefined): ScopedQueryRunner | null {
  const runner = manager?.queryRunner;
  return runner instanceof ScopedQueryRunner && runner.isTransactionActive && !runner.isReleased ? runner : null;
}

/**
 * A manager whose statements run under `scope`, each in its own short transaction unless the
 * manager opens one. It holds no query runner: like TypeORM's default manager, each call
 * (a statement, a save, a transaction) takes a runner of its own — here one scoped to `scope` —
 * and TypeORM releases it when that call ends. A runner shared by the manager's calls would be
 * shared by overlapping calls too: a statement issued while another call's transaction is open
 * would join that transaction, and one that connects just after the transaction handed the
 * connection back would take a pooled connection that nobody ever releases.
 */
export function scopedManager(dataSource: DataSource, scope: DbScope): EntityManager {
  if (!(dataSource.createQueryRunner() instanceof ScopedQueryRunner)) {
    throw new Error('The data source has no tenant scope: create it with installTenantScope (DatabaseModule does)');
  }
  // The data source as the manager sees it: the same in every respect, except that its runners are scoped.
  const scopedSource: DataSource = Object.create(dataSource, {
    createQueryRunner: {
      value: (mode?: 'master' | 'slave') => (dataSource.createQueryRunner(mode) as ScopedQueryRunner).scopeTo(scope),
    },
  });
  return new EntityManager(scopedSource);
}

/**
 * For repository methods that a worker hands a bare manager: runs `work` across tenants for
 * `reason` only — in the manager's open transaction (the transaction's own scope comes back
 * afterwards), else with each statement in a short cross-tenant transaction of its own.
 */
export async function withCrossTenant<T>(manager: EntityManager, reason: CrossTenantReason, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const open = openScopedRunner(manager);
  if (!open) return work(scopedManager(manager.dataSource, crossTenantScope(reason)));
  open.beginCrossTenant(reason);
  try {
    return await work(manager);
  } finally {
    open.endCrossTenant();
  }
}

/** `value` as one jsonb literal for statements run by queryInOneRoundTrip (escaped by pg's escapeLiteral). */
export function jsonbLiteral(value: unknown): string {
  return `${escapeLiteral(JSON.stringify(value))}::jsonb`;
}

/**
 * Runs ONE statement across tenants for `reason` in one round trip instead of three (START with
 * the settings, the statement, COMMIT): the settings and the statement travel in one simple-protocol
 * message, which PostgreSQL runs as one implicit transaction, so the settings end with it exactly
 * as they do with SET LOCAL. The simple protocol takes no parameters: pass every value inside
 * `jsonbLiteral(...)`. For a worker's hot path, where a single statement needs no transaction of its own.
 */
export async function queryAcrossTenantsInOneRoundTrip<T>(dataSource: DataSource, reason: CrossTenantReason, statement: string): Promise<T[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const connection = (await runner.connect()) as { query(text: string): Promise<{ rows: T[] }[]> };
    const [, result] = await connection.query(`${setScopeLiteral(crossTenantScope(reason))}; ${statement}`);
    return result.rows;
  } finally {
    await runner.release();
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { openScopedRunner, scopeOf, withCrossTenant } from '../../database/tenant-scope';
import type { RequestContext } from '../context/request-context';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

/** How long a stored response answers for its key. */
export const IDEMPOTENCY_TTL_HOURS = 24;

export type NewIdempotencyKey = Pick<
  IdempotencyKeyEntity,
  'key' | 'requestHash' | 'method' | 'path' | 'responseStatus' | 'responseBody'
>;

/**
 * The queries on `idempotency_keys`. Per-request methods take the ctx of the idempotency
 * transaction (its `manager`) and are scoped by the ctx's tenant and mode; ages are compared
 * with the database clock. Only the purge spans tenants: it is the worker's cleanup.
 */
@Injectable()
export class IdempotencyRepository {
  /** Claims the key for this transaction; false when another transaction holds it (in flight). */
  async tryLock(ctx: RequestContext, key: string): Promise<boolean> {
    const rows: { locked: boolean }[] = await this.managerOf(ctx).query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1 || ':' || $2 || ':' || $3, 0)) AS locked`,
      [ctx.tenant, ctx.mode, key],
    );
    return rows[0]?.locked === true;
  }

  /** Drops this key's row when it is past the TTL, so the key counts as unused. */
  async deleteExpired(ctx: RequestContext, key: string): Promise<void> {
    await this.managerOf(ctx).query(
      `DELETE FROM idempotency_keys
        WHERE tenant_id = $1 AND mode = $2 AND key = $3
          AND created_at < now() - make_interval(hours => $4)`,
      [ctx.tenant, ctx.mode, key, IDEMPOTENCY_TTL_HOURS],
    );
  }

  find(ctx: RequestContext, key: string): Promise<IdempotencyKeyEntity | null> {
    return this.managerOf(ctx).findOneBy(IdempotencyKeyEntity, { tenantId: ctx.tenant, mode: ctx.mode, key });
  }

  /** The body is stored as JSON (jsonb); an empty body (undefined) as NULL. */
  async insert(ctx: RequestContext, row: NewIdempotencyKey): Promise<void> {
    await this.managerOf(ctx).query(
      `INSERT INTO idempotency_keys
         (tenant_id, mode, key, request_hash, method, path, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
      [
        ctx.tenant,
        ctx.mode,
        row.key,
        row.requestHash,
        row.method,
        row.path,
        row.responseStatus,
        row.responseBody === undefined ? null : JSON.stringify(row.responseBody),
      ],
    );
  }

  /**
   * Deletes up to `batchSize` rows past the TTL, across every tenant (the maintenance job);
   * returns how many went. Uses the created_at index; each batch is its own short statement.
   */
  async purgeExpiredBatch(manager: EntityManager, batchSize: number): Promise<number> {
    const rows: { n: number }[] = await withCrossTenant(manager, 'idempotency_purge', (manager) => manager.query(
      `WITH doomed AS (
         SELECT tenant_id, mode, key FROM idempotency_keys
          WHERE created_at < now() - make_interval(hours => $1)
          LIMIT $2
       ), gone AS (
         DELETE FROM idempotency_keys k USING doomed d
          WHERE k.tenant_id = d.tenant_id AND k.mode = d.mode AND k.key = d.key
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM gone`,
      [IDEMPOTENCY_TTL_HOURS, batchSize],
    ));
    return rows[0]?.n ?? 0;
  }

  private managerOf(ctx: RequestContext): EntityManager {
    const manager = ctx.manager;
    if (!manager?.queryRunner?.isTransactionActive) {
      throw new Error('IdempotencyRepository needs the ctx of an open transaction (IdempotencyService.execute)');
    }
    openScopedRunner(manager)?.scopeTo(scopeOf(ctx));
    return manager;
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { openScopedRunner, scopeOf, withCrossTenant } from '../../database/tenant-scope';
import type { RequestContext } from '../context/request-context';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { ResponseCipher, SealedBodyError } from './response-cipher';

/** Not a hex digest, so it never equals a request's hash. */
const UNREADABLE_ROW_HASH = 'unreadable';

/** How long a stored response answers for its key. */
export const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * How long a claim of a route that calls out (response not stored yet) holds its key. A retry
 * meanwhile gets 409; after this, the claimant is taken for dead (killed process) and a retry may
 * run the route again, relying on the route's own guards (e.g. a payment never exceeds what is owed).
 */
export const IDEMPOTENCY_CLAIM_LEASE_SECONDS = 600;

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
  constructor(private readonly cipher: ResponseCipher) {}

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

  /**
   * The stored row, its response body decrypted. A body sealed under an earlier HASH_SECRET
   * cannot be opened; its request hash was keyed by that secret too, so the row can no longer
   * match any request: it is returned with an unmatchable hash (→ 422, as for any other request).
   */
  async find(ctx: RequestContext, key: string): Promise<IdempotencyKeyEntity | null> {
    const row = await this.managerOf(ctx).findOneBy(IdempotencyKeyEntity, { tenantId: ctx.tenant, mode: ctx.mode, key });
    if (!row) return null;
    try {
      row.responseBody = this.cipher.open(row.responseBody, sealContext(ctx, key));
    } catch (err) {
      if (!(err instanceof SealedBodyError)) throw err;
      return Object.assign(row, { requestHash: UNREADABLE_ROW_HASH, responseBody: null });
    }
    return row;
  }

  /** The body is stored encrypted (ResponseCipher) in the jsonb column; an empty body (undefined) as NULL. */
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
        row.responseBody === undefined ? null : JSON.stringify(this.cipher.seal(row.responseBody, sealContext(ctx, row.key))),
      ],
    );
  }

  /** A claim without a response (a route that calls out is running); returns its claim time, the claim's token. */
  async claim(ctx: RequestContext, row: Omit<NewIdempotencyKey, 'responseStatus' | 'responseBody'>): Promise<Date> {
    const rows: { created_at: Date }[] = await this.managerOf(ctx).query(
      `INSERT INTO idempotency_keys (tenant_id, mode, key, request_hash, method, path, response_status, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)
       RETURNING created_at`,
      [ctx.tenant, ctx.mode, row.key, row.requestHash, row.method, row.path],
    );
    return rows[0].created_at;
  }

  /** Takes over a claim older than the lease (its claimant died); its new claim time, or null while the lease runs. */
  async takeOverStale(ctx: RequestContext, key: string): Promise<Date | null> {
    const rows: { created_at: Date }[] = await this.managerOf(ctx).query(
      `UPDATE idempotency_keys SET created_at = now()
        WHERE tenant_id = $1 AND mode = $2 AND key = $3 AND response_status IS NULL
          AND created_at < now() - make_interval(secs => $4)
       RETURNING created_at`,
      [ctx.tenant, ctx.mode, key, IDEMPOTENCY_CLAIM_LEASE_SECONDS],
    );
    return rows[0]?.created_at ?? null;
  }

  /** Stores the response on this claim (still ours: same claim time, no response yet). */
  async complete(ctx: RequestContext, key: string, claimedAt: Date, status: number, body: unknown): Promise<void> {
    await this.managerOf(ctx).query(
      `UPDATE idempotency_keys SET response_status = $5, response_body = $6::jsonb
        WHERE tenant_id = $1 AND mode = $2 AND key = $3 AND created_at = $4 AND response_status IS NULL`,
      [ctx.tenant, ctx.mode, key, claimedAt, status, body === undefined ? null : JSON.stringify(body)],
    );
  }

  /** Drops this claim (the route failed): the key may be used again. */
  async release(ctx: RequestContext, key: string, claimedAt: Date): Promise<void> {
    await this.managerOf(ctx).query(
      `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND mode = $2 AND key = $3 AND created_at = $4 AND response_status IS NULL`,
      [ctx.tenant, ctx.mode, key, claimedAt],
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

/** Binds a sealed body to its row: it decrypts only under the same tenant, mode and key. */
function sealContext(ctx: RequestContext, key: string): string {
  return `${ctx.tenant}\u0000${ctx.mode}\u0000${key}`;
}

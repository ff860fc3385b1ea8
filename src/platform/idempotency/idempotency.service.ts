import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../context/request-context';
import { ConflictError, IdempotencyError, InvalidRequestError } from '../errors/domain-errors';
import { IdempotencyRepository } from './idempotency.repository';
import { requestHash, type RequestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

export interface IdempotentResponse {
  status: number;
  body: unknown;
}

export interface IdempotentResult extends IdempotentResponse {
  /** True when this is the stored response of an earlier request with the same key. */
  replayed: boolean;
}

/** 400 unless the key is 1 to 255 characters. */
export function assertIdempotencyKey(key: string): void {
  if (typeof key !== 'string' || key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new InvalidRequestError(`Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, 'Idempotency-Key');
  }
}

/**
 * Runs a request at most once per (tenant, mode, Idempotency-Key) within 24 h and answers
 * repeats with the stored response. See `execute`.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * In ONE transaction:
   * 1. take a transaction-scoped advisory lock on (tenant, mode, key) without waiting; when
   *    another request holds it, that request is still running → 409 `conflict`;
   * 2. a stored row older than 24 h is deleted and counts as absent; a stored row for a
   *    different request (method, path, body) → 422 `idempotency_error`; a stored row for the
   *    same request → its status and body, `replayed: true`, and `run` is not called;
   * 3. otherwise `run(txCtx)`: the route's services see `txCtx.manager` and JOIN this
   *    transaction (TransactionService.run), then the response is stored in it too. The route's
   *    writes and the stored response commit together or not at all.
   *
   * If `run` throws (any error, 4xx included), the whole transaction rolls back: the route's
   * writes are undone and NO row is stored, so the same key can be retried and runs afresh.
   * The lock is released at commit/rollback, after the row is visible to the next request.
   */
  async execute(
    ctx: RequestContext,
    key: string,
    fingerprint: RequestFingerprint,
    run: (txCtx: RequestContext) => Promise<IdempotentResponse>,
  ): Promise<IdempotentResult> {
    assertIdempotencyKey(key);
    const hash = requestHash(fingerprint, `idempotency:${this.config.HASH_SECRET}`);
    return this.dataSource.transaction(async (manager) => {
      const txCtx = ctx.withManager(manager);
      if (!(await this.repository.tryLock(txCtx, key))) {
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry later');
      }
      await this.repository.deleteExpired(txCtx, key);
      const stored = await this.repository.find(txCtx, key);
      if (stored) {
        if (stored.requestHash !== hash) {
          throw new IdempotencyError('Idempotency-Key was already used with a different request');
        }
        return { replayed: true, status: stored.responseStatus, body: stored.responseBody ?? undefined };
      }
      const response = await run(txCtx);
      await this.repository.insert(txCtx, {
        key,
        requestHash: hash,
        method: fingerprint.method.toUpperCase(),
        path: fingerprint.path,
        responseStatus: response.status,
        responseBody: response.body,
      });
      return { replayed: false, status: response.status, body: response.body };
    });
  }
}

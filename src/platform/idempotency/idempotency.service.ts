import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../context/request-context';
import { ConflictError, IdempotencyError, InvalidRequestError } from '../errors/domain-errors';
import { IdempotencyRepository } from './idempotency.repository';
import { requestHash, type RequestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
const STILL_RUNNING = 'A request with this Idempotency-Key is still being processed; retry later';

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
        throw new ConflictError(STILL_RUNNING);
      }
      await this.repository.deleteExpired(txCtx, key);
      const stored = await this.repository.find(txCtx, key);
      if (stored) {
        if (stored.requestHash !== hash) {
          throw new IdempotencyError('Idempotency-Key was already used with a different request');
        }
        if (stored.responseStatus === null) throw new ConflictError(STILL_RUNNING);
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

  /**
   * For routes that call out over the network (`@IdempotencyOutsideTransaction`, e.g. the card
   * processor): holding the idempotency transaction open around such a call would put the network
   * I/O inside a transaction (DESIGN rule 13), and a rollback after the call would lose the record
   * of money that moved. So the same promise is kept in three short steps instead of one:
   * 1. claim (one transaction, the same advisory lock as `execute`): a stored response → replay
   *    (or 422 for another request); a live claim → 409 still running; a claim older than
   *    IDEMPOTENCY_CLAIM_LEASE_SECONDS (its process died) is taken over; else the key is claimed
   *    with no response yet, and committed;
   * 2. `run(ctx)` outside any transaction: the route's services commit their own (a payment records
   *    `processing`, calls the processor with its own idempotency key, records the outcome);
   * 3. success → the response is stored on the claim in its own transaction; failure → the claim
   *    is dropped so the key can be retried, as with `execute` (what the route committed before
   *    failing stays; the route's own guards keep a retry from repeating it, e.g. a payment never
   *    exceeds what is owed).
   */
  async executeOutsideTransaction(
    ctx: RequestContext,
    key: string,
    fingerprint: RequestFingerprint,
    run: (ctx: RequestContext) => Promise<IdempotentResponse>,
  ): Promise<IdempotentResult> {
    assertIdempotencyKey(key);
    const hash = requestHash(fingerprint, `idempotency:${this.config.JWT_SECRET}`);
    const claim = await this.dataSource.transaction(async (manager): Promise<{ replay: IdempotentResult } | { claimedAt: Date }> => {
      const txCtx = ctx.withManager(manager);
      if (!(await this.repository.tryLock(txCtx, key))) throw new ConflictError(STILL_RUNNING);
      await this.repository.deleteExpired(txCtx, key);
      const stored = await this.repository.find(txCtx, key);
      if (!stored) {
        return { claimedAt: await this.repository.claim(txCtx, { key, requestHash: hash, method: fingerprint.method.toUpperCase(), path: fingerprint.path }) };
      }
      if (stored.requestHash !== hash) throw new IdempotencyError('Idempotency-Key was already used with a different request');
      if (stored.responseStatus !== null) return { replay: { replayed: true, status: stored.responseStatus, body: stored.responseBody ?? undefined } };
      const takenOver = await this.repository.takeOverStale(txCtx, key);
      if (!takenOver) throw new ConflictError(STILL_RUNNING);
      return { claimedAt: takenOver };
    });
    if ('replay' in claim) return claim.replay;
    let response: IdempotentResponse;
    try {
      response = await run(ctx);
    } catch (err) {
      await this.dataSource.transaction((manager) => this.repository.release(ctx.withManager(manager), key, claim.claimedAt));
      throw err;
    }
    await this.dataSource.transaction((manager) =>
      this.repository.complete(ctx.withManager(manager), key, claim.claimedAt, response.status, response.body),
    );
    return { replayed: false, status: response.status, body: response.body };
  }
}

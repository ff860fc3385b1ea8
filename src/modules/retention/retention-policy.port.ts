import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';

/**
 * The port the retention job calls: one per kind of data that ages out. The module that owns the
 * table implements it (its SQL stays in its own folder, in a `*.retention.ts` file), marks the
 * class with `@RetentionPolicyProvider()` and lists it in its module's providers; the retention
 * job discovers every marked provider. Deletes span tenants: this is the worker's cleanup.
 */
export interface RetentionPolicy {
  /** Names the data in logs and in the `retention_rows_deleted_total{kind}` metric. */
  readonly kind: string;
  /** Rows whose age (or expiry) is before `now - retentionDays` are past retention. */
  retentionDays(): number;
  /**
   * Deletes (or anonymizes) up to `limit` rows past retention, in one short statement, and
   * returns how many. Called until it returns fewer than `limit`.
   */
  purgeBatch(before: Date, limit: number): Promise<number>;
}

/** Metadata key: the marked provider is a RetentionPolicy. */
export const RETENTION_POLICY = 'cbapi:retention-policy';

/** Marks a provider as a RetentionPolicy for the daily retention job. */
export const RetentionPolicyProvider = (): ClassDecorator => SetMetadata(RETENTION_POLICY, true);

/** The settings that say how many days a kind of data is kept. */
export type RetentionSetting = Extract<keyof AppConfig, `RETENTION_${string}_DAYS`>;

/**
 * A RetentionPolicy that deletes rows: a batch is one `DELETE … WHERE id IN (<ids past retention>)`
 * across tenants, in a short transaction of its own. A subclass only says which rows, and needs no
 * `@Injectable()` or constructor of its own (it inherits this one's injection), just the marker:
 *
 *   @RetentionPolicyProvider()
 *   export class RefreshTokensRetention extends BatchDeleteRetention {
 *     readonly kind = 'refresh_tokens';
 *     protected readonly retentionSetting = 'RETENTION_EXPIRED_TOKENS_GRACE_DAYS';
 *     protected readonly table = 'refresh_tokens';
 *     protected readonly idsPastRetention = 'SELECT id FROM refresh_tokens WHERE expires_at < $1 LIMIT $2';
 *   }
 */
@Injectable()
export abstract class BatchDeleteRetention implements RetentionPolicy {
  abstract readonly kind: string;
  /** The setting that holds this data's retention in days. */
  protected abstract readonly retentionSetting: RetentionSetting;
  protected abstract readonly table: string;
  /**
   * The key `idsPastRetention` selects: `id`, or `(tenant_id, id)` for a table keyed by both, so the
   * DELETE finds each row through its primary key.
   */
  protected readonly key: string = 'id';
  /** A SELECT of the keys (`key`) of `table` past retention: `$1` is the cut-off, `$2` the batch size. */
  protected abstract readonly idsPastRetention: string;

  constructor(
    private readonly tx: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  retentionDays(): number {
    return this.config[this.retentionSetting];
  }

  async purgeBatch(before: Date, limit: number): Promise<number> {
    const rows: { n: number }[] = await this.tx.acrossTenants('retention', (m) => m.query(
      `WITH gone AS (DELETE FROM ${this.table} WHERE ${this.key} IN (${this.idsPastRetention}) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [before, limit],
    ));
    return rows[0]?.n ?? 0;
  }
}

import { SetMetadata } from '@nestjs/common';

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

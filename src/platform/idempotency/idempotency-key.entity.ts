import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Mode } from '../context/request-context';

/**
 * One stored response per (tenant, mode, Idempotency-Key). The row is inserted in the same
 * transaction as the route's own writes, so it exists exactly when those writes committed.
 * Rows older than 24 h no longer count and are purged by the `maintenance` queue.
 */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_created_at', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  tenantId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  mode: Mode;

  /** The client's Idempotency-Key, 1 to 255 characters (checked before it gets here). */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_idempotency_keys' })
  key: string;

  /** sha256 hex of method, path (with sorted query) and canonical JSON body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ type: 'text' })
  method: string;

  @Column({ type: 'text' })
  path: string;

  /** NULL while a route that calls out (`@IdempotencyOutsideTransaction`) still runs: the key is claimed, not answered yet. */
  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus: number | null;

  /** The full response body as sent (the success envelope); NULL for an empty body (204). */
  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

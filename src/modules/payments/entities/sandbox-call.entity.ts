import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Mode } from '../../../platform/context/request-context';

/**
 * The sandbox processor's own memory (what a real processor keeps on its side): every call it
 * answered, by the caller's idempotency key. A repeated key gets the first answer back, and the
 * reconciliation job looks keys up after a crash. It lives in PostgreSQL so it survives a restart,
 * but it is written outside the API's transactions, like a remote processor would be.
 */
@Entity('sandbox_processor_calls')
export class SandboxProcessorCallEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text', primaryKeyConstraintName: 'pk_sandbox_processor_calls' })
  tenantId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_sandbox_processor_calls' })
  mode: Mode;

  @PrimaryColumn({ name: 'idempotency_key', type: 'text', primaryKeyConstraintName: 'pk_sandbox_processor_calls' })
  idempotencyKey: string;

  /** authorize | confirm | capture | refund */
  @Column({ type: 'text' })
  operation: string;

  @Column({ type: 'jsonb' })
  result: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

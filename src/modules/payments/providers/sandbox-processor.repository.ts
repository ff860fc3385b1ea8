import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { RequestContext } from '../../../platform/context/request-context';
import { scopedManager, scopeOf } from '../../../database/tenant-scope';
import type { ProcessorRecord } from './payment-provider.port';

/**
 * The sandbox processor's memory (`sandbox_processor_calls`). Deliberately NOT on the caller's
 * transaction (the pool's own connection, autocommit): a real processor records a charge on its
 * side whatever happens to the API's transaction afterwards, and so must the sandbox.
 */
@Injectable()
export class SandboxProcessorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores `record` for the key unless the key was seen before; returns the stored (first) record. */
  async remember(ctx: RequestContext, idempotencyKey: string, record: ProcessorRecord): Promise<ProcessorRecord> {
    const rows: { result: ProcessorRecord }[] = await scopedManager(this.dataSource, scopeOf(ctx)).query(
      `INSERT INTO sandbox_processor_calls (tenant_id, mode, idempotency_key, operation, result)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (tenant_id, mode, idempotency_key) DO NOTHING
       RETURNING result`,
      [ctx.tenant, ctx.mode, idempotencyKey, record.operation, JSON.stringify(record)],
    );
    if (rows.length > 0) return rows[0].result;
    const stored = await this.find(ctx, idempotencyKey);
    if (!stored) throw new Error(`sandbox processor: key ${idempotencyKey} vanished`);
    return stored;
  }

  async find(ctx: RequestContext, idempotencyKey: string): Promise<ProcessorRecord | null> {
    const rows: { result: ProcessorRecord }[] = await scopedManager(this.dataSource, scopeOf(ctx)).query(
      'SELECT result FROM sandbox_processor_calls WHERE tenant_id = $1 AND mode = $2 AND idempotency_key = $3',
      [ctx.tenant, ctx.mode, idempotencyKey],
    );
    return rows[0]?.result ?? null;
  }
}

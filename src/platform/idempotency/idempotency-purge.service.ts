import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobHandler } from '../queue/job-handler.decorator';
import { IdempotencyRepository } from './idempotency.repository';

export const PURGE_BATCH_SIZE = 1000;

/** Hourly (SCHEDULED_JOBS): deletes stored idempotency responses past their 24 h, in batches. */
@Injectable()
export class IdempotencyPurgeService {
  private readonly logger = new Logger('IdempotencyPurge');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: IdempotencyRepository,
  ) {}

  /** Returns how many rows were deleted. Safe to run twice or concurrently (a plain DELETE). */
  @JobHandler('maintenance', 'purge-idempotency-keys')
  async purge(data: { batch_size?: number } = {}): Promise<number> {
    const batchSize = Number.isInteger(data?.batch_size) && data.batch_size! > 0 ? data.batch_size! : PURGE_BATCH_SIZE;
    let total = 0;
    for (;;) {
      const deleted = await this.repository.purgeExpiredBatch(this.dataSource.manager, batchSize);
      total += deleted;
      if (deleted < batchSize) break;
    }
    if (total > 0) this.logger.log(`purged ${total} expired idempotency key(s)`);
    return total;
  }
}

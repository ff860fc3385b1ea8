import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { AuthorizationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import { SampleDataService } from './sample-data.service';
import { SandboxRepository } from './sandbox.repository';

/** `POST /sandbox/reset`: the sandbox back to a new tenant's — its test-mode data deleted, the sample data made again. */
@Injectable()
export class SandboxService {
  constructor(
    private readonly repo: SandboxRepository,
    private readonly tx: TransactionService,
    private readonly sampleData: SampleDataService,
    private readonly clock: Clock,
  ) {}

  async reset(ctx: RequestContext): Promise<Schemas['SandboxReset']> {
    if (ctx.mode !== 'test') throw new AuthorizationError('Only the sandbox can be reset: call with a test-mode credential');
    return this.tx.run(ctx, async (txCtx) => {
      await this.repo.lockForReset(txCtx);
      let deleted = 0;
      for (const table of await this.repo.tablesInDeleteOrder(txCtx)) deleted += await this.repo.deleteTestRows(txCtx, table);
      await this.sampleData.seedSandbox(txCtx);
      return { reset_at: this.clock.now().toISOString(), deleted_rows: deleted };
    });
  }
}

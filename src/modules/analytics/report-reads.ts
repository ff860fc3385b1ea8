import type { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';

const SMALL_READS = `SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`;

/**
 * Runs a report's reads in one transaction with PostgreSQL's JIT compilation and parallel workers
 * off. The statements read a few thousand rollup rows, but their estimates (ranges joined on
 * computed bounds, unnested arrays) can pass the costs at which the planner compiles expressions
 * and starts workers, which on a busy server take far longer (tens to hundreds of ms, measured in
 * bench/ANALYTICS.md) than the reads themselves.
 */
export function inReportTransaction<T>(tx: TransactionService, ctx: RequestContext, work: (txCtx: RequestContext) => Promise<T>): Promise<T> {
  return tx.run(ctx, async (txCtx) => {
    await tx.managerFor(txCtx).query(SMALL_READS);
    return work(txCtx);
  });
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext } from '../../platform/context/request-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { PaymentProcessingService } from './payment-processing.service';
import { PaymentRefundsService } from './payment-refunds.service';
import { PaymentsRepository } from './payments.repository';
import { PaymentProviders } from './providers/payment-providers';

export const RECONCILE_BATCH_SIZE = 200;

export interface ReconciliationRun {
  /** Intents and refunds whose outcome was recorded by this run. */
  settled: number;
  /** Looked at but already settled meanwhile (by their request or another run). */
  unchanged: number;
  /** Could not be settled now (processor unreachable, …); retried on the next run. */
  failed: number;
}

/**
 * The `payments:reconcile` job (every minute, SCHEDULED_JOBS): payments left `processing` and
 * refunds left `pending` for longer than PAYMENT_RECONCILE_AFTER_SECONDS — a crash, a timeout or a
 * hang between the processor call and its record — are settled by asking the processor what it did
 * for their idempotency keys. Each item is recorded with the same guarded transaction as the request
 * would have used, so a second run, or a request answering late, changes nothing.
 */
@Injectable()
export class PaymentReconciliationService {
  private readonly logger = new Logger('PaymentReconciliation');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly processing: PaymentProcessingService,
    private readonly refunds: PaymentRefundsService,
    private readonly providers: PaymentProviders,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler('payments', 'reconcile')
  async reconcileJob(): Promise<ReconciliationRun> {
    return this.reconcile();
  }

  /**
   * One run. `olderThanSeconds` defaults to PAYMENT_RECONCILE_AFTER_SECONDS; `onlyTenant` limits it
   * to one tenant (operators re-running one tenant, tests sharing a database).
   */
  async reconcile(olderThanSeconds = this.config.PAYMENT_RECONCILE_AFTER_SECONDS, onlyTenant: string | null = null): Promise<ReconciliationRun> {
    const sweep = new RequestContext('job_payments_reconcile', null, 'live', { kind: 'system', name: 'payments-reconcile' }, null);
    const run: ReconciliationRun = { settled: 0, unchanged: 0, failed: 0 };
    for (const row of await this.repo.stuckIntents(sweep, olderThanSeconds, RECONCILE_BATCH_SIZE, onlyTenant)) {
      await this.guard(run, 'payment', row.id, RequestContext.system('payments-reconcile', row.tenant_id, row.mode, `job_payments_reconcile_${row.id}`),
        (ctx) => this.processing.reconcile(ctx, row.id, this.providers.for(ctx)));
    }
    for (const row of await this.repo.stuckRefunds(sweep, olderThanSeconds, RECONCILE_BATCH_SIZE, onlyTenant)) {
      await this.guard(run, 'refund', row.id, RequestContext.system('payments-reconcile', row.tenant_id, row.mode, `job_payments_reconcile_${row.id}`),
        (ctx) => this.refunds.reconcile(ctx, row.id)); // offline refunds need no processor
    }
    if (run.settled > 0 || run.failed > 0) this.logger.log(run, 'payments reconciled');
    return run;
  }

  private async guard(run: ReconciliationRun, kind: string, id: string, ctx: RequestContext, work: (ctx: RequestContext) => Promise<'settled' | 'unchanged'>): Promise<void> {
    try {
      run[await work(ctx)] += 1;
    } catch (err) {
      run.failed += 1;
      this.logger.error({ [`${kind}_id`]: id, err: (err as Error).message }, `${kind} reconciliation failed; retried on the next run`);
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import { RequestContext } from '../../platform/context/request-context';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { INVOICE_CHARGES, INVOICES, type InvoiceChargesPort, type InvoicesPort } from './invoices.port';
import { DAY_MS, periodEnd } from './proration';
import { ServicesRepository, type ServiceKey } from './services.repository';
import { ServicesService } from './services.service';

export interface RenewalRun {
  /** Charge claims left `charging` by a dead worker, settled from what payments recorded. */
  reconciled: number;
  renewed: number;
  charged: number;
  failed: number;
  retried: number;
  suspended: number;
}

/**
 * The renewal and dunning worker (`subscriptions:renew-due`, every minute). Each step works on one
 * service per transaction and is safe to run twice or on several workers at once:
 *  1. renew: an active service whose period has ended is locked (FOR UPDATE SKIP LOCKED), its next
 *     period claimed in `service_periods` (unique service + period start) and invoiced, and the
 *     period advanced — one invoice per period however often the job runs;
 *  2. charge: each renewal invoice not charged yet is claimed (pending → charging, committed) and
 *     charged to the default payment method; unpaid → the service is `past_due`, with retries at
 *     DUNNING_RETRY_DAYS after it went past due;
 *  3. retry: a past-due service whose retry is due has the retry claimed (next_retry_at moved on,
 *     committed) before its open invoice is charged again; paying reactivates it (invoice-paid listener);
 *  4. suspend: past due for SUSPEND_AFTER_DAYS_PAST_DUE days → `suspended` (`service.suspended`).
 * A service behind by several periods catches up one period per run. Every sweep shares its batch
 * fairly between tenants (each tenant's oldest row first), and a service whose step throws is
 * backed off (1, 2, 4 … minutes, at most 6 h) so one tenant's broken rows cannot starve the others.
 *
 * Before step 2, claims left `charging` for PAYMENT_RECONCILE_AFTER_SECONDS (the worker died
 * between claim and outcome) are settled from the invoice's payments: paid → paid; failed → failed
 * and past due; a payment still at the processor → left for the payments reconciliation job; no
 * payment at all (it died before charging) → released to `pending` and charged in step 2. The
 * charge itself runs outside any transaction (payments records, commits, calls the processor).
 */
@Injectable()
export class RenewalsService {
  private readonly logger = new Logger('Renewals');

  constructor(
    private readonly repo: ServicesRepository,
    private readonly services: ServicesService,
    private readonly tx: TransactionService,
    private readonly clock: Clock,
    @Inject(INVOICES) private readonly invoices: InvoicesPort,
    @Inject(INVOICE_CHARGES) private readonly charges: InvoiceChargesPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler('subscriptions', 'renew-due')
  async renewDueJob(): Promise<RenewalRun> {
    return this.renewDue();
  }

  /**
   * One run at `now` (the clock's time by default). `onlyTenant` limits the sweeps to one tenant
   * (operators re-running one tenant, and tests that share a database).
   */
  async renewDue(now: Date = this.clock.now(), onlyTenant: string | null = null): Promise<RenewalRun> {
    const sweep = new RequestContext('job_subscriptions_renew', null, 'live', { kind: 'system', name: 'subscriptions-renew' }, null);
    const batch = this.config.RENEWAL_BATCH_SIZE;
    const run: RenewalRun = { reconciled: 0, renewed: 0, charged: 0, failed: 0, retried: 0, suspended: 0 };

    for (const key of await this.repo.dueForRenewal(sweep, now, batch, onlyTenant)) {
      await this.guard(key, 'renew', now, async (ctx) => {
        if (await this.renewOne(ctx, key.id, now)) run.renewed += 1;
      });
    }

    for (const row of await this.repo.stuckCharges(sweep, this.config.PAYMENT_RECONCILE_AFTER_SECONDS, batch, onlyTenant)) {
      await this.guard(row, 'reconcile-charge', now, async (ctx) => {
        if (await this.settleStuckCharge(ctx, row, now)) run.reconciled += 1;
      });
    }

    for (const row of await this.repo.pendingCharges(sweep, batch, onlyTenant, now)) {
      await this.guard(row, 'charge', now, async (ctx) => {
        const claimed = await this.tx.run(ctx, (txCtx) => this.repo.claimCharge(txCtx, row.period_id));
        if (!claimed) return;
        const paid = await this.charge(ctx, row.invoice_id);
        // The processor's answer was lost: the claim stays `charging` until the payment is reconciled.
        if (!paid && (await this.charges.paymentStateOf(ctx, row.invoice_id)) === 'processing') return;
        const stillOpen = paid ? null : await this.invoices.findOpenInvoiceForService(ctx, row.service_id);
        await this.tx.run(ctx, async (txCtx) => {
          const finished = await this.repo.finishCharge(txCtx, row.period_id, paid || !stillOpen ? 'paid' : 'failed');
          if (finished && !paid && stillOpen) await this.services.markPastDue(txCtx, row.service_id, now);
        });
        if (paid) run.charged += 1;
        else run.failed += 1;
      });
    }

    for (const key of await this.repo.dueForRetry(sweep, now, batch, onlyTenant)) {
      await this.guard(key, 'retry', now, async (ctx) => {
        const claimed = await this.tx.run(ctx, async (txCtx) => {
          const s = await this.repo.findServiceForUpdate(txCtx, key.id);
          if (!s || s.status !== 'past_due' || !s.nextRetryAt || s.nextRetryAt > now || !s.pastDueSince) return false;
          const retryCount = s.retryCount + 1;
          await this.repo.update(txCtx, s.id, ['past_due'], { retryCount, nextRetryAt: this.services.retryAt(s.pastDueSince, retryCount) });
          return true;
        });
        if (!claimed) return;
        run.retried += 1;
        const open = await this.invoices.findOpenInvoiceForService(ctx, key.id);
        if (!open) await this.services.reactivateIfSettled(ctx, key.id);
        else await this.charge(ctx, open.id);
      });
    }

    const cutoff = new Date(now.getTime() - this.config.SUSPEND_AFTER_DAYS_PAST_DUE * DAY_MS);
    for (const key of await this.repo.dueForSuspension(sweep, cutoff, batch, onlyTenant, now)) {
      await this.guard(key, 'suspend', now, async (ctx) => {
        if (await this.services.suspendForNonPayment(ctx, key.id, now)) run.suspended += 1;
      });
    }
    return run;
  }

  /** Step 1 for one service, in one transaction: claim + invoice the next period, advance the period. */
  private async renewOne(ctx: RequestContext, serviceId: string, now: Date): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      const s = await this.repo.lockDue(txCtx, serviceId, now);
      if (!s) return false;
      const start = s.currentPeriodEnd;
      const end = periodEnd(start, s.billingCycle, s.anchorDay);
      const issued = await this.services.issuePeriodInvoice(txCtx, s, start, end, 'renewal', now);
      await this.repo.update(txCtx, s.id, ['active'], {
        currentPeriodStart: start, currentPeriodEnd: end, latestInvoiceId: issued?.invoice.id ?? s.latestInvoiceId,
      });
      return true;
    });
  }

  /** A claim left `charging`: settled from the invoice's payments (see the class comment); false when left as it is. */
  private async settleStuckCharge(ctx: RequestContext, row: { period_id: string; service_id: string; invoice_id: string }, now: Date): Promise<boolean> {
    const state = await this.charges.paymentStateOf(ctx, row.invoice_id);
    if (state === 'processing') return false;
    return this.tx.run(ctx, async (txCtx) => {
      if (state === 'none') return this.repo.releaseCharge(txCtx, row.period_id);
      const finished = await this.repo.finishCharge(txCtx, row.period_id, state === 'paid' ? 'paid' : 'failed');
      if (finished && state === 'failed' && (await this.invoices.findOpenInvoiceForService(txCtx, row.service_id))) {
        await this.services.markPastDue(txCtx, row.service_id, now);
      }
      return finished;
    });
  }

  /** Charges the default payment method; a decline, a missing card or an error is "not paid". */
  private async charge(ctx: RequestContext, invoiceId: string): Promise<boolean> {
    try {
      return (await this.charges.payWithDefaultMethod(ctx, invoiceId)).paid;
    } catch (err) {
      this.logger.warn({ invoice_id: invoiceId, err: (err as Error).message }, 'renewal charge failed');
      return false;
    }
  }

  /** Runs one service's step with its tenant's context; a failure is logged and the run goes on. */
  /**
   * Runs one step for one service in its tenant's context. A step that throws is logged and
   * recorded on the service (backoff, see recordSweepFailure) and the batch goes on; a step that
   * works clears an earlier failure count.
   */
  private async guard(key: ServiceKey, step: string, now: Date, work: (ctx: RequestContext) => Promise<void>): Promise<void> {
    const ctx = RequestContext.system('subscriptions-renew', key.tenant_id, key.mode, `job_subscriptions_${step}_${key.id}`);
    try {
      await work(ctx);
      if (key.sweep_failures) await this.repo.clearSweepFailures(ctx, key.id);
    } catch (err) {
      this.logger.error({ service_id: key.id, tenant_id: key.tenant_id, step, err: (err as Error).message }, 'subscription renewal step failed');
      await this.repo.recordSweepFailure(ctx, key.id, now).catch((recordErr: Error) =>
        this.logger.error({ service_id: key.id, err: recordErr.message }, 'could not record the failed renewal step'),
      );
    }
  }

}

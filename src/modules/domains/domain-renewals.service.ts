import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import { RequestContext } from '../../platform/context/request-context';
import type { InvoicePaidListener } from '../billing/invoice-paid.port';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { EventsService } from '../events/events.service';
import { addYears } from './domain-expiry';
import { DOMAIN_INVOICING, type DomainInvoiceRef, type DomainInvoicingPort } from './domain-invoicing.port';
import { toDomain } from './domains.mappers';
import { DomainsRepository, type DomainKey } from './domains.repository';
import { Registrars } from './registrars/registrars';
import { TldPricesService } from './tld-prices.service';

const DAY_MS = 86_400_000;

export interface DomainRenewalRun {
  noticed: number;
  renewed: number;
  expired: number;
}

/**
 * The domain renewal job (`domains:renew-due`, every minute, scheduled like `subscriptions:renew-due`).
 * Each step handles one domain per transaction and is safe to run twice or on several workers:
 *  1. notice: an active domain expiring within DOMAIN_RENEWAL_LEAD_DAYS gets `domain.expiring` once
 *     per term and, with auto-renew, a one-year renewal invoice due at the expiry (`renewal_invoice_id`),
 *     e-mailed to the customer with its payment link;
 *  2. renew: when that invoice is paid (billing's paid hook sets `renewal_paid_at` in the paying
 *     transaction), the domain is renewed at the registrar — outside any transaction, with the current
 *     expiry so a repeated call is refused by the registry — then its expiry moves one year on
 *     (`domain.renewed`), in `active` again if it had expired meanwhile;
 *  3. expire: an active domain past its expiry, with no paid renewal on the way, is `expired` (`domain.expired`).
 * A domain whose step throws is backed off (1, 2, 4 … minutes, at most 6 h), so broken rows cannot hold a batch.
 */
@Injectable()
export class DomainRenewalsService implements InvoicePaidListener {
  private readonly logger = new Logger('DomainRenewals');

  constructor(
    private readonly repo: DomainsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly prices: TldPricesService,
    private readonly registrars: Registrars,
    private readonly clock: Clock,
    @Inject(DOMAIN_INVOICING) private readonly invoicing: DomainInvoicingPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @JobHandler('domains', 'renew-due')
  async renewDueJob(): Promise<DomainRenewalRun> {
    return this.renewDue();
  }

  /** One run at `now` (the clock's time by default); `onlyTenant` limits it to one tenant (tests sharing a database, operators). */
  async renewDue(now: Date = this.clock.now(), onlyTenant: string | null = null): Promise<DomainRenewalRun> {
    const sweep = new RequestContext('job_domains_renew', null, 'live', { kind: 'system', name: 'domains-renew' }, null);
    const batch = this.config.RENEWAL_BATCH_SIZE;
    const run: DomainRenewalRun = { noticed: 0, renewed: 0, expired: 0 };
    const cutoff = new Date(now.getTime() + this.config.DOMAIN_RENEWAL_LEAD_DAYS * DAY_MS);
    for (const key of await this.repo.dueForNotice(sweep, cutoff, now, batch, onlyTenant)) {
      await this.guard(key, 'notice', now, async (ctx) => {
        if (await this.noticeOne(ctx, key.id, cutoff)) run.noticed += 1;
      });
    }
    for (const key of await this.repo.dueForPaidRenewal(sweep, now, batch, onlyTenant)) {
      await this.guard(key, 'renew', now, async (ctx) => {
        if (await this.renewPaid(ctx, key.id)) run.renewed += 1;
      });
    }
    for (const key of await this.repo.dueForExpiry(sweep, now, batch, onlyTenant)) {
      await this.guard(key, 'expire', now, async (ctx) => {
        if (await this.expireOne(ctx, key.id, now)) run.expired += 1;
      });
    }
    return run;
  }

  /**
   * Billing's paid hook, inside the paying transaction: an auto-renewal invoice of a domain was
   * paid. Only recorded here (no registrar call inside a transaction); step 2 of the job renews.
   */
  async onInvoicePaid(ctx: RequestContext, invoice: DomainInvoiceRef): Promise<void> {
    const domain = await this.repo.findByRenewalInvoiceForUpdate(ctx, invoice.id);
    if (!domain || domain.renewalPaidAt) return;
    await this.repo.update(ctx, domain.id, { renewalPaidAt: this.clock.now() });
  }

  private async noticeOne(ctx: RequestContext, id: string, cutoff: Date): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      let domain = await this.repo.findForUpdate(txCtx, id);
      if (!domain || domain.status !== 'active' || domain.expiresAt > cutoff) return false;
      if (domain.autoRenew && !domain.renewalInvoiceId) {
        const row = (await this.prices.table(txCtx)).get(domain.tld);
        if (row) {
          const invoice = await this.invoicing.issue(txCtx, {
            customerId: domain.customerId, currency: row.currency, dueDate: domain.expiresAt, sendToCustomer: true,
            lines: [{ description: `Domain renewal ${domain.unicodeName}, 1 year (auto-renewal)`, quantity: 1, unit_amount: row.renewalAmount }],
          });
          domain = await this.repo.update(txCtx, id, { renewalInvoiceId: invoice.id, latestInvoiceId: invoice.id });
        } else {
          this.logger.warn({ domain_id: id, tld: domain.tld }, 'auto-renewal skipped: the TLD has no price any more');
        }
      }
      if (domain.expiringNoticeFor?.getTime() === domain.expiresAt.getTime()) return false;
      const result = toDomain(await this.repo.update(txCtx, id, { expiringNoticeFor: domain.expiresAt }));
      await this.events.record(txCtx, 'domain.expiring', result);
      return true;
    });
  }

  private async renewPaid(ctx: RequestContext, id: string): Promise<boolean> {
    const domain = await this.repo.find(ctx, id);
    if (!domain?.renewalPaidAt) return false;
    await this.registrars.forMode(ctx.mode).renew(domain.name, 1, domain.expiresAt);
    return this.tx.run(ctx, async (txCtx) => {
      const locked = await this.repo.findForUpdate(txCtx, id);
      if (!locked?.renewalPaidAt || locked.expiresAt.getTime() !== domain.expiresAt.getTime()) return false;
      const result = toDomain(await this.repo.update(txCtx, id, {
        expiresAt: addYears(locked.expiresAt, 1), status: locked.status === 'expired' ? 'active' : locked.status, renewalInvoiceId: null, renewalPaidAt: null,
      }));
      await this.events.record(txCtx, 'domain.renewed', result);
      return true;
    });
  }

  private async expireOne(ctx: RequestContext, id: string, now: Date): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      const domain = await this.repo.findForUpdate(txCtx, id);
      if (!domain || domain.status !== 'active' || domain.expiresAt > now || domain.renewalPaidAt) return false;
      const result = toDomain(await this.repo.update(txCtx, id, { status: 'expired' }));
      await this.events.record(txCtx, 'domain.expired', result);
      return true;
    });
  }

  /**
   * Runs one domain's step in its tenant's context. A step that throws is logged and recorded on the
   * domain (backoff, see recordSweepFailure) and the run goes on; a step that works clears an earlier failure count.
   */
  private async guard(key: DomainKey, step: string, now: Date, work: (ctx: RequestContext) => Promise<void>): Promise<void> {
    const ctx = RequestContext.system('domains-renew', key.tenant_id, key.mode, `job_domains_${step}_${key.id}`);
    try {
      await work(ctx);
      if (key.sweep_failures) await this.repo.clearSweepFailures(ctx, key.id);
    } catch (err) {
      this.logger.error({ domain_id: key.id, tenant_id: key.tenant_id, step, err: (err as Error).message }, 'domain renewal step failed');
      await this.repo.recordSweepFailure(ctx, key.id, now).catch((recordErr: Error) =>
        this.logger.error({ domain_id: key.id, err: recordErr.message }, 'could not record the failed domain renewal step'),
      );
    }
  }
}

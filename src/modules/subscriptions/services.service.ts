import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import type { InvoicePaidListener } from '../billing/invoice-paid.port';
import { settleAgainstCredit } from './credit-balance';
import { INVOICE_CHARGES, INVOICES, type InvoiceRef, type InvoiceChargesPort, type InvoicesPort } from './invoices.port';
import type { ProrationRecord, ServiceEntity } from './entities/service.entity';
import { DAY_MS, periodEnd, priceForCycle, prorate } from './proration';
import { ACTIONS, allowedActions, canApply, type BillingCycle, type ManualAction } from './service-status';
import { ServicesRepository, type ServiceChanges, type ServiceFilters, type ServiceSort } from './services.repository';
import { toService } from './services.mappers';

/** A subscription product and one of its tiers, as the catalog answers them. */
export interface ResolvedTier {
  product: Schemas['Product'];
  tier: Schemas['ProductTier'];
}

/**
 * Services (subscriptions): creation with the first invoice, prorated tier/cycle changes, the
 * manual transitions of `service-status.ts`, and the billing hooks the renewal worker and the
 * invoice-paid listener use. Every state change runs in one transaction with its event.
 */
@Injectable()
export class ServicesService implements InvoicePaidListener {
  constructor(
    private readonly repo: ServicesRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly customers: CustomersService,
    private readonly products: ProductsService,
    private readonly clock: Clock,
    @Inject(INVOICES) private readonly invoices: InvoicesPort,
    @Inject(INVOICE_CHARGES) private readonly charges: InvoiceChargesPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // --- reads
  async list(ctx: RequestContext, page: PageQuery, sort: { sort: ServiceSort; order: SortOrder }, filters: ServiceFilters): Promise<Page<Schemas['Service']>> {
    const scope = ctx.customerScope;
    if (scope !== null) {
      if (filters.customerId !== undefined && filters.customerId !== scope) filters = { ...filters, customerId: '-' };
      else filters = { ...filters, customerId: scope };
    }
    return (await this.repo.listServices(ctx, page, sort, filters)).map(toService);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Service']> {
    return toService(await this.getOrThrow(ctx, id));
  }

  /** The service of this tenant and mode (and, for a customer user, of its customer), or 404. */
  async getOrThrow(ctx: RequestContext, id: string, forUpdate = false): Promise<ServiceEntity> {
    const sid = parseIdOr404(id, 'svc', 'service');
    const service = forUpdate ? await this.repo.findServiceForUpdate(ctx, sid) : await this.repo.findService(ctx, sid);
    const scope = ctx.customerScope;
    if (!service || (scope !== null && service.customerId !== scope)) throw new NotFoundError('service', id);
    return service;
  }

  /** For the account-status routes: a customer's services, newest first. */
  servicesOfCustomer(ctx: RequestContext, customerId: string, filter: { productId?: string; tier?: string } = {}): Promise<ServiceEntity[]> {
    return this.repo.servicesOfCustomer(ctx, customerId, filter);
  }

  // --- create
  /**
   * One transaction: the customer and the subscription tier must exist; the service is inserted
   * (pending, or active with `activate`), its first period claimed and invoiced, and
   * `service.created` recorded. A zero-amount first period needs no invoice: the service is active.
   */
  async create(ctx: RequestContext, body: Schemas['CreateServiceRequest']): Promise<Schemas['Service']> {
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.customers.lockForNewReference(txCtx, body.customer_id);
      const { tier } = await this.resolveTier(txCtx, body.product_id, body.tier, 'tier');
      const cycle: BillingCycle = body.billing_cycle ?? tier.billing_cycle;
      const now = this.clock.now();
      const end = periodEnd(now, cycle);
      const price = priceForCycle(tier.price, tier.billing_cycle, cycle);
      const activate = body.activate === true;
      let service = await this.repo.insertService(txCtx, {
        id: newId('svc'),
        customerId: customer.id,
        productId: tier.product_id,
        tier: tier.label_name,
        tierId: tier.id,
        billingCycle: cycle,
        price,
        currency: tier.currency,
        status: activate ? 'active' : 'pending',
        anchorDay: now.getUTCDate(),
        currentPeriodStart: now,
        currentPeriodEnd: end,
        creditBalance: 0,
        latestInvoiceId: null,
        lastProration: null,
        pastDueSince: null,
        nextRetryAt: null,
        retryCount: 0,
        activatedAt: activate ? now : null,
        suspendedAt: null,
        terminatedAt: null,
      });
      const issued = await this.issuePeriodInvoice(txCtx, service, now, end, 'first', now);
      if (issued) {
        service = (await this.repo.update(txCtx, service.id, [service.status], { latestInvoiceId: issued.invoice.id }))!;
      } else if (service.status === 'pending') {
        service = (await this.repo.transition(txCtx, service.id, ['pending'], 'active', { activatedAt: now }))!;
      }
      const result = toService(service);
      await this.events.record(txCtx, 'service.created', result);
      return result;
    });
  }

  // --- change tier / cycle
  /**
   * `PATCH /services/{id}`: only an active service changes. The proration of `proration.ts` is
   * stored in `last_proration`; a positive net (less the credit balance) is invoiced in the same
   * transaction and charged to the default payment method after commit; a negative net is added
   * to the credit balance.
   */
  async update(ctx: RequestContext, id: string, body: Schemas['UpdateServiceRequest']): Promise<Schemas['Service']> {
    if (body.tier === undefined && body.billing_cycle === undefined) {
      throw new ValidationError('Send tier or billing_cycle to change', [{ field: 'tier', message: 'tier or billing_cycle is required' }]);
    }
    const { service, invoiceId } = await this.tx.run(ctx, async (txCtx) => {
      const current = await this.getOrThrow(txCtx, id, true);
      if (current.status !== 'active') {
        throw new ConflictError(`Service ${current.id} is ${current.status}; only an active service can change tier or billing cycle`, 'status');
      }
      const label = body.tier ?? current.tier;
      const cycle = body.billing_cycle ?? current.billingCycle;
      if (label === current.tier && cycle === current.billingCycle) return { service: current, invoiceId: null };
      const { tier } = await this.resolveTier(txCtx, current.productId, label, 'tier');
      if (tier.currency !== current.currency) {
        throw new ValidationError(`Tier ${label} is priced in ${tier.currency}, the service in ${current.currency}`, [{ field: 'tier', message: 'different currency' }]);
      }
      const now = this.clock.now();
      const newPrice = priceForCycle(tier.price, tier.billing_cycle, cycle);
      const cycleChanged = cycle !== current.billingCycle;
      const p = prorate({ periodStart: current.currentPeriodStart, periodEnd: current.currentPeriodEnd, now, oldPrice: current.price, newPrice, cycleChanged });
      const { used, due, credited, balance } = settleAgainstCredit(current.creditBalance, p.net);
      let invoice: InvoiceRef | null = null;
      if (due > 0) {
        invoice = await this.invoices.createInvoice(txCtx, {
          customerId: current.customerId,
          currency: current.currency,
          lines: [{
            description: `Proration ${current.tier} (${current.billingCycle}) → ${tier.label_name} (${cycle}): ` +
              `charge ${p.charge} − credit ${p.credit} for ${p.unused_days}/${p.period_days} days` + (used > 0 ? ` − balance ${used}` : ''),
            quantity: 1,
            unit_amount: due,
            product_id: current.productId,
          }],
          dueDate: now,
          sendToCustomer: false,
          serviceId: current.id,
        });
      }
      const record: ProrationRecord = {
        ...p,
        from_tier: current.tier,
        to_tier: tier.label_name,
        from_billing_cycle: current.billingCycle,
        to_billing_cycle: cycle,
        invoice_id: invoice?.id ?? null,
        credited,
        changed_at: now.toISOString(),
      };
      const changes: ServiceChanges = {
        tier: tier.label_name, tierId: tier.id, price: newPrice, billingCycle: cycle, creditBalance: balance, lastProration: record,
        latestInvoiceId: invoice?.id ?? current.latestInvoiceId,
      };
      if (cycleChanged) {
        changes.currentPeriodStart = now;
        changes.currentPeriodEnd = periodEnd(now, cycle);
        changes.anchorDay = now.getUTCDate();
      }
      const updated = await this.repo.update(txCtx, current.id, ['active'], changes);
      if (!updated) throw new ConflictError(`Service ${current.id} changed meanwhile; retry`, 'status');
      return { service: updated, invoiceId: invoice?.id ?? null };
    });
    if (invoiceId) {
      // Outside the change's transaction: a charge is a money movement with its own transaction.
      await this.charges.payWithDefaultMethod(ctx, invoiceId).catch(() => undefined);
      return this.get(ctx, service.id);
    }
    return toService(service);
  }

  // --- manual transitions
  /** `POST /services/{id}/suspend|unsuspend|terminate`: only from the statuses of `ACTIONS` (409 otherwise). */
  async act(ctx: RequestContext, id: string, action: ManualAction): Promise<Schemas['Service']> {
    return this.tx.run(ctx, async (txCtx) => {
      const service = await this.getOrThrow(txCtx, id, true);
      const spec = ACTIONS[action];
      if (!canApply(action, service.status)) {
        const allowed = allowedActions(service.status);
        throw new ConflictError(
          `Cannot ${action} service ${service.id}: it is ${service.status}; allowed actions: ${allowed.join(', ') || 'none'}`,
          'status',
          allowed.map((a) => ({ field: 'action', message: a })),
        );
      }
      const now = this.clock.now();
      const changes: ServiceChanges =
        action === 'suspend' ? { suspendedAt: now, nextRetryAt: null }
          : action === 'unsuspend' ? { suspendedAt: null, pastDueSince: null, nextRetryAt: null, retryCount: 0 }
            : { terminatedAt: now, nextRetryAt: null };
      const moved = await this.repo.transition(txCtx, service.id, spec.from, spec.to, changes);
      if (!moved) throw new ConflictError(`Service ${service.id} changed meanwhile; retry`, 'status');
      const result = toService(moved);
      if (spec.event) await this.events.record(txCtx, spec.event, result);
      return result;
    });
  }

  // --- billing hooks (renewals worker, invoice-paid listener)

  /**
   * Inside the caller's transaction: claims the period [start, end) of the service and creates its
   * invoice (less the credit balance, which is reduced accordingly). Null when the period was
   * already claimed (a second run) or nothing is due (fully covered by credit).
   */
  async issuePeriodInvoice(
    ctx: RequestContext, service: ServiceEntity, start: Date, end: Date, kind: 'first' | 'renewal', now: Date,
  ): Promise<{ invoice: InvoiceRef; periodId: string } | null> {
    const periodId = await this.repo.claimPeriod(ctx, { serviceId: service.id, periodStart: start, periodEnd: end, kind, chargeState: kind === 'first' ? 'none' : 'pending' });
    if (!periodId) return null;
    const { used: creditUsed, due, balance } = settleAgainstCredit(service.creditBalance, service.price);
    if (creditUsed > 0) await this.repo.update(ctx, service.id, [service.status], { creditBalance: balance });
    if (due === 0) {
      await this.repo.setPeriodInvoice(ctx, periodId, null, kind === 'first' ? 'none' : 'paid');
      return null;
    }
    const invoice = await this.invoices.createInvoice(ctx, {
      customerId: service.customerId,
      currency: service.currency,
      lines: [{
        description: `${service.tier} (${service.billingCycle}) ${start.toISOString().slice(0, 10)} – ${end.toISOString().slice(0, 10)}` +
          (creditUsed > 0 ? ` (credit ${creditUsed} applied)` : ''),
        quantity: 1,
        unit_amount: due,
        product_id: service.productId,
      }],
      periodStart: start,
      periodEnd: end,
      dueDate: now,
      sendToCustomer: false,
      serviceId: service.id,
    });
    await this.repo.setPeriodInvoice(ctx, periodId, invoice.id);
    return { invoice, periodId };
  }

  /** The renewal charge failed: active → past_due, first retry per DUNNING_RETRY_DAYS. */
  async markPastDue(ctx: RequestContext, serviceId: string, now: Date): Promise<ServiceEntity | null> {
    return this.repo.transition(ctx, serviceId, ACTIONS.mark_past_due.from, 'past_due', {
      pastDueSince: now, retryCount: 0, nextRetryAt: this.retryAt(now, 0),
    });
  }

  /** The `index`-th retry after going past due at `since`, or null when the schedule is exhausted. */
  retryAt(since: Date, index: number): Date | null {
    const days = this.config.DUNNING_RETRY_DAYS[index];
    return days === undefined ? null : new Date(since.getTime() + days * DAY_MS);
  }

  /** Unpaid for SUSPEND_AFTER_DAYS_PAST_DUE days: past_due → suspended, `service.suspended`. */
  async suspendForNonPayment(ctx: RequestContext, serviceId: string, now: Date): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      const moved = await this.repo.transition(txCtx, serviceId, ACTIONS.dunning_suspend.from, 'suspended', { suspendedAt: now, nextRetryAt: null });
      if (moved) await this.events.record(txCtx, 'service.suspended', toService(moved));
      return !!moved;
    });
  }

  /**
   * Billing's INVOICE_PAID_LISTENERS port (bound in SubscriptionsModule), inside the transaction that marks the invoice paid: the
   * service it bills becomes active — pending (first invoice), past_due, or suspended by dunning
   * (`service.unsuspended`). A service suspended by staff (never past due) stays suspended.
   */
  async onInvoicePaid(ctx: RequestContext, invoice: InvoiceRef): Promise<void> {
    const serviceId = invoice.service_id ?? (await this.repo.serviceOfInvoice(ctx, invoice.id));
    if (!serviceId) return;
    const service = await this.repo.findServiceForUpdate(ctx, serviceId);
    if (!service) return;
    const now = this.clock.now();
    const clear: ServiceChanges = { pastDueSince: null, nextRetryAt: null, retryCount: 0 };
    if (service.status === 'pending') {
      await this.repo.transition(ctx, service.id, ['pending'], 'active', { activatedAt: now });
    } else if (service.status === 'past_due') {
      await this.repo.transition(ctx, service.id, ['past_due'], 'active', clear);
    } else if (service.status === 'suspended' && service.pastDueSince !== null) {
      const moved = await this.repo.transition(ctx, service.id, ['suspended'], 'active', { ...clear, suspendedAt: null });
      if (moved) await this.events.record(ctx, 'service.unsuspended', toService(moved));
    }
  }

  /** A past-due service with no open invoice left (paid elsewhere): back to active. */
  async reactivateIfSettled(ctx: RequestContext, serviceId: string): Promise<void> {
    await this.tx.run(ctx, (txCtx) => this.repo.transition(txCtx, serviceId, ['past_due'], 'active', { pastDueSince: null, nextRetryAt: null, retryCount: 0 }));
  }

  // --- catalog
  /**
   * The subscription product `productId` and its tier labelled `label`: an unknown product answers
   * 404; a product that is not a live subscription or an unknown tier 422 naming `field`.
   */
  async resolveTier(ctx: RequestContext, productId: string, label: string, field: string): Promise<ResolvedTier> {
    const product = await this.products.get(ctx, parseIdOr404(productId, 'prod', 'product'));
    if (product.type !== 'subscription' || product.status === 'archived') {
      throw new ValidationError(`Product ${product.id} is not a subscription product for sale`, [
        { field: 'product_id', message: `type ${product.type}, status ${product.status}` },
      ]);
    }
    const tier = (await this.products.listTiers(ctx, product.id)).find((t) => t.label_name === label);
    if (!tier) {
      throw new ValidationError(`Product ${product.id} has no tier '${label}'`, [{ field, message: 'no tier with this label_name' }]);
    }
    return { product, tier };
  }
}

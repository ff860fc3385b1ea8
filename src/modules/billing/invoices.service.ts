import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { Clock } from '../../platform/clock/clock';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, DomainError, invalid, NotFoundError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import { checkedMultiply, checkedSum } from '../../platform/money/checked-arithmetic';
import { minimumChargeWarning } from '../../platform/money/minimum-charge';
import { multiplyMinor, sumMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { MailService } from '../notifications/mail.service';
import type { InvoicesPort } from '../subscriptions/invoices.port';
import type { CreateInvoiceInput } from './create-invoice.types';
import type { InvoiceEntity, InvoiceLineEntity } from './entities/invoice.entity';
import { amountDue, formatInvoiceNumber, isPayable, type InvoiceStatus } from './invoice-status';
import { InvoiceLinksService } from './invoice-links.service';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoicesRepository, type InvoiceFilters, type InvoiceSort } from './invoices.repository';
import { RedirectDomainsService } from './redirect-domains.service';

/** The filters of which `GET /invoices` needs one (seed 003: "at least one of account_ref_id or email is required"). */
const NARROWING_FILTERS = ['account_ref_id', 'email', 'customer_id', 'status'] as const;

/**
 * 400 when a listing names none of NARROWING_FILTERS: a tenant-wide dump of invoices is not a query
 * the API serves. A principal confined to one customer never gets here (its scope is the filter).
 */
function assertNarrowed(filters: InvoiceFilters): void {
  if (filters.accountRefId || filters.email || filters.customerId || filters.status) return;
  const rule = `one of ${NARROWING_FILTERS.slice(0, -1).join(', ')} or ${NARROWING_FILTERS.at(-1)} is required`;
  throw new DomainError(
    'invalid_request',
    `Filter the invoices: give at least one of ${NARROWING_FILTERS.slice(0, -1).join(', ')} or ${NARROWING_FILTERS.at(-1)}`,
    NARROWING_FILTERS[0],
    NARROWING_FILTERS.map((field) => ({ field, message: rule })),
  );
}

/**
 * Issuing invoices: creation (gapless numbers per tenant and mode, exact totals, a hosted payment
 * link, the invoice e-mail), finalizing drafts, sending, and the reads. Money on an invoice is
 * InvoiceSettlementService's. Bound to the subscriptions module's INVOICES port.
 */
@Injectable()
export class InvoicesService implements InvoicesPort {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly customers: CustomersService,
    private readonly products: ProductsService,
    private readonly mail: MailService,
    private readonly records: InvoiceRecordsService,
    private readonly links: InvoiceLinksService,
    private readonly redirectDomains: RedirectDomainsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates an invoice from lines, inside the caller's transaction when there is one; records `invoice.created`. */
  async createInvoice(ctx: RequestContext, input: CreateInvoiceInput): Promise<Schemas['Invoice']> {
    return this.create(ctx, input, null);
  }

  /** = `invoice.hosted_invoice_url`. */
  hostedUrl(invoice: Schemas['Invoice']): string {
    return invoice.hosted_invoice_url;
  }

  /**
   * Like `hostedUrl`, but for a payer about to be sent there now (the hosted checkout reusing an
   * older open invoice): mints a fresh link when the invoice's current one has expired or is about to.
   */
  async liveHostedUrl(ctx: RequestContext, invoiceId: string): Promise<string> {
    return this.links.urlOf(await this.links.forSending(ctx, invoiceId));
  }

  /** The newest open (or uncollectible) invoice of a service, or null. */
  async findOpenInvoiceForService(ctx: RequestContext, serviceId: string): Promise<Schemas['Invoice'] | null> {
    const invoice = await this.repo.findOpenForService(ctx, serviceId);
    return invoice ? this.records.present(ctx, invoice) : null;
  }

  async list(
    ctx: RequestContext,
    page: PageQuery,
    sort: { sort: InvoiceSort; order: SortOrder },
    filters: InvoiceFilters,
  ): Promise<Page<Schemas['Invoice']>> {
    const scope = ctx.customerScope;
    if (scope !== null) {
      if (filters.customerId !== undefined && filters.customerId !== scope) filters = { ...filters, customerId: '' };
      else filters = { ...filters, customerId: scope };
    } else {
      assertNarrowed(filters);
    }
    return this.tx.read(ctx, async (readCtx) => {
      const rows = await this.repo.listInvoices(readCtx, page, sort, filters);
      return new Page(await this.records.presentMany(readCtx, rows.items), rows.meta);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.read(ctx, async (readCtx) => this.records.present(readCtx, await this.records.getOrThrow(readCtx, id)));
  }

  /**
   * The `Warning` header of `POST /invoices` when the total is above 0 but below the currency's minimum
   * charge: the invoice stands (a small fee can be real), but a seed-style `"amount": 25.00` was
   * probably meant as 2500. Null otherwise.
   */
  minimumChargeWarning(invoice: Schemas['Invoice']): string | null {
    return minimumChargeWarning(invoice.total, invoice.currency, this.config.MINIMUM_CHARGE_MINOR_UNITS);
  }

  /** `POST /invoices`: resolves the customer (id, or e-mail + account_ref_id) and the lines (lines, or product_manage_id + amount). */
  async createFromRequest(ctx: RequestContext, body: Schemas['CreateInvoiceRequest']): Promise<Schemas['Invoice']> {
    if (body.customer_id !== undefined && body.customer_email !== undefined) {
      throw invalid('customer_email', 'give customer_id or customer_email (+ account_ref_id), not both');
    }
    if (body.customer_id === undefined && body.customer_email === undefined) {
      throw invalid('customer_id', 'customer_id or customer_email (+ account_ref_id) is required');
    }
    if (body.lines !== undefined && (body.product_manage_id !== undefined || body.amount !== undefined)) {
      throw invalid('lines', 'give lines or product_manage_id + amount, not both');
    }
    if (body.lines === undefined) {
      if (body.product_manage_id === undefined) throw invalid('lines', 'lines or product_manage_id + amount is required');
      if (body.amount === undefined) throw invalid('amount', 'amount is required with product_manage_id');
    }
    if (body.send_to_customer === true && body.draft === true) {
      throw invalid('send_to_customer', 'a draft cannot be sent; finalize it first');
    }
    return this.tx.run(ctx, async (txCtx) => {
      const customerId = body.customer_id !== undefined
        ? (await this.customers.getOrThrow(txCtx, body.customer_id)).id
        : (await this.customers.findOrCreateByEmailAndRef(txCtx, body.customer_email!, body.account_ref_id ?? null)).id;
      let lines: Schemas['CreateInvoiceLine'][];
      let productManageId: string | null = null;
      if (body.lines !== undefined) {
        for (const [index, line] of body.lines.entries()) {
          if (line.product_id !== undefined) await this.productOr404(txCtx, line.product_id, `lines[${index}].product_id`);
        }
        lines = body.lines;
      } else {
        const product = await this.productOr404(txCtx, body.product_manage_id!, 'product_manage_id');
        productManageId = product.id;
        lines = [{ description: body.description || product.name, quantity: 1, unit_amount: body.amount!, product_id: product.id }];
      }
      return this.create(txCtx, {
        customerId,
        currency: body.currency,
        lines,
        dueDate: body.due_date !== undefined ? new Date(body.due_date) : undefined,
        sendToCustomer: body.send_to_customer,
        returnUrl: body.return_url ?? null,
        draft: body.draft,
        periodStart: body.period_start !== undefined ? new Date(body.period_start) : undefined,
        periodEnd: body.period_end !== undefined ? new Date(body.period_end) : undefined,
      }, productManageId);
    });
  }

  private async create(ctx: RequestContext, input: CreateInvoiceInput, productManageId: string | null): Promise<Schemas['Invoice']> {
    if (!/^[a-z]{3}$/.test(input.currency)) throw invalid('currency', 'must be a lower-case ISO 4217 code such as usd');
    if (!Array.isArray(input.lines) || input.lines.length === 0) throw invalid('lines', 'at least one line is required');
    for (const [index, line] of input.lines.entries()) {
      if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw invalid(`lines[${index}].quantity`, 'must be a positive integer');
      if (!Number.isSafeInteger(line.unit_amount) || line.unit_amount < 0) throw invalid(`lines[${index}].unit_amount`, 'must be a non-negative integer amount in minor units');
      if (typeof line.description !== 'string' || line.description.length === 0) throw invalid(`lines[${index}].description`, 'is required');
    }
    if (input.dueDate !== undefined && Number.isNaN(input.dueDate.getTime())) throw invalid('due_date', 'must be a valid date');
    if (input.returnUrl) await this.redirectDomains.assertAllowed(ctx, input.returnUrl);
    if ((input.periodStart === undefined) !== (input.periodEnd === undefined)) throw invalid('period_end', 'period_start and period_end go together');
    if (input.periodStart && input.periodEnd && !(input.periodEnd > input.periodStart)) throw invalid('period_end', 'must be after period_start');
    // Range-checked before any SQL: each line's amount (422 naming the line), then their sum (naming `lines`).
    checkedSum(input.lines.map((l, index) => checkedMultiply(l.unit_amount, l.quantity, `lines[${index}].quantity`)), 'lines', undefined, 'the invoice total');
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.customers.lockForNewReference(txCtx, input.customerId);
      const invoiceId = newId('inv');
      const lines: Partial<InvoiceLineEntity>[] = input.lines.map((l, position) => ({
        id: newId('line'),
        invoiceId,
        position,
        description: l.description,
        quantity: l.quantity,
        unitAmount: l.unit_amount,
        amount: multiplyMinor(l.unit_amount, l.quantity),
        productId: l.product_id ?? null,
      }));
      const subtotal = sumMinor(lines.map((l) => l.amount!));
      const total = subtotal;
      const status: InvoiceStatus = input.draft ? 'draft' : total === 0 ? 'paid' : 'open';
      // Last, so the counter row is locked for as short a time as possible; it stays locked until commit.
      const number = formatInvoiceNumber(await this.repo.nextNumber(txCtx));
      const invoice = await this.repo.insertInvoice(txCtx, {
        id: invoiceId,
        number,
        status,
        customerId: customer.id,
        customerEmail: customer.email,
        accountRefId: customer.accountRefId,
        currency: input.currency,
        subtotal,
        total,
        amountPaid: 0,
        amountRefunded: 0,
        dueDate: input.dueDate ?? null,
        returnUrl: input.returnUrl ?? null,
        emailSent: false,
        serviceId: input.serviceId ?? null,
        productManageId,
        lastPaymentErrorCode: null,
        lastPaymentErrorMessage: null,
        paidAt: status === 'paid' ? new Date() : null,
        voidedAt: null,
        periodStart: input.periodStart ?? null,
        periodEnd: input.periodEnd ?? null,
      });
      await this.repo.insertLines(txCtx, lines);
      const token = await this.links.mint(txCtx, invoice.id);
      if (input.sendToCustomer && status !== 'draft') {
        await this.sendMail(txCtx, invoice, this.links.urlOf(token), `invoice:${invoice.id}:created`);
      }
      const result = await this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
      await this.events.record(txCtx, 'invoice.created', result);
      if (status === 'paid') await this.records.paid(txCtx, result);
      return result;
    });
  }

  /** draft → open (a zero total is paid at once). */
  async finalize(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.records.lockOr404(txCtx, id);
      if (invoice.status !== 'draft') throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only a draft can be finalized`, 'status');
      const next: InvoiceStatus = invoice.total === 0 ? 'paid' : 'open';
      await this.repo.updateInvoice(txCtx, invoice.id, { status: next, ...(next === 'paid' ? { paidAt: new Date() } : {}) });
      const result = await this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
      if (next === 'paid') await this.records.paid(txCtx, result);
      return result;
    });
  }

  /** Queues the invoice e-mail (a fresh link when the current one is about to expire). */
  async send(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.records.lockOr404(txCtx, id);
      if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only an unpaid invoice can be sent`, 'status');
      const token = await this.links.forSending(txCtx, invoice.id);
      // One e-mail per invoice and clock hour however often this is called (a repeat within the hour
      // queues nothing new), and over the tenant's send quota the call answers 429 (issue 23).
      const hour = this.clock.now().toISOString().slice(0, 13);
      await this.sendMail(txCtx, invoice, this.links.urlOf(token), `invoice:${invoice.id}:send:${hour}`, 'refuse');
      return this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
    });
  }

  private async sendMail(ctx: RequestContext, invoice: InvoiceEntity, url: string, dedupeKey: string, overQuota: 'refuse' | 'defer' = 'defer'): Promise<void> {
    const customer = await this.customers.getOrThrow(ctx, invoice.customerId);
    const name = `${customer.firstName} ${customer.lastName}`.trim();
    await this.mail.enqueue(ctx, {
      template: 'invoice',
      to: [customer.email],
      data: {
        number: invoice.number,
        amount: amountDue(invoice.status, invoice.total, invoice.amountPaid),
        currency: invoice.currency,
        hosted_invoice_url: url,
        ...(invoice.dueDate ? { due_date: invoice.dueDate.toISOString().slice(0, 10) } : {}),
        ...(name ? { customer_name: name } : {}),
      },
      dedupeKey,
      overQuota,
    });
    if (!invoice.emailSent) await this.repo.updateInvoice(ctx, invoice.id, { emailSent: true });
  }

  private async productOr404(ctx: RequestContext, productId: string, field: string) {
    try {
      return await this.products.getForSale(ctx, productId);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'not_found') throw new NotFoundError(`product (${field})`, productId);
      throw err;
    }
  }
}

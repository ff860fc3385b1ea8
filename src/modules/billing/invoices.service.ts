import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import { RequestContext } from '../../platform/context/request-context';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import { multiplyMinor, sumMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { MailService } from '../notifications/mail.service';
import type { PaymentSummary } from '../payments/payment-targets';
import { NO_SAVED_PAYMENT_METHOD, PaymentsService } from '../payments/payments.service';
import type { CardInput } from '../payments/providers/payment-provider';
import { PaymentProviders } from '../payments/providers/payment-providers';
import type { CreateInvoiceDto } from './dto/invoices.dto';
import type { InvoiceEntity, InvoiceLineEntity, InvoicePageTokenEntity } from './entities/invoice.entity';
import { amountDue, formatInvoiceNumber, isPayable, isVoidable, type InvoiceStatus } from './invoice-status';
import { toInvoice } from './invoices.mappers';
import { InvoicesRepository, type InvoiceFilters, type InvoiceSort } from './invoices.repository';

/** One line as callers give it: `quantity × unit_amount` in minor units. */
export interface InvoiceLineInput {
  description: string;
  quantity: number;
  unit_amount: number;
  product_id?: string;
}

/** `createInvoice`'s input (the contract the subscriptions module codes against). */
export interface CreateInvoiceInput {
  customerId: string;
  currency: string;
  lines: InvoiceLineInput[];
  dueDate?: Date;
  sendToCustomer?: boolean;
  returnUrl?: string | null;
  serviceId?: string | null;
  draft?: boolean;
}

export type InvoicePaidListener = (ctx: RequestContext, invoice: Schemas['Invoice']) => Promise<void>;

/** What the hosted page needs about a token: the invoice, the context it lives in, and whether it can be paid online. */
export interface HostedInvoice {
  ctx: RequestContext;
  invoice: Schemas['Invoice'];
  canPayOnline: boolean;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** A link about to expire is replaced when the invoice is sent again. */
const RENEW_LINK_WITHIN_MS = 24 * 3600 * 1000;

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/**
 * Invoices: creation (gapless numbers per tenant and mode, exact totals, a hosted payment link,
 * the invoice e-mail), the status machine (draft → open → paid | void | uncollectible), payment
 * and refunds through the payments module, and the 'invoice' payment target. Exported to other
 * modules: `createInvoice`, `payWithDefaultMethod`, `hostedUrl`, `onInvoicePaid`, `findOpenInvoiceForService`.
 */
@Injectable()
export class InvoicesService {
  private readonly paidListeners: InvoicePaidListener[] = [];
  private readonly tokenKey: Buffer;

  constructor(
    private readonly repo: InvoicesRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly customers: CustomersService,
    private readonly products: ProductsService,
    private readonly payments: PaymentsService,
    private readonly providers: PaymentProviders,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.tokenKey = createHash('sha256').update(`invoice-page-token\0${config.JWT_SECRET}`).digest();
  }

  // --- the exported contract

  /** Creates an invoice from lines, inside the caller's transaction when there is one; records `invoice.created`. */
  async createInvoice(ctx: RequestContext, input: CreateInvoiceInput): Promise<Schemas['Invoice']> {
    return this.create(ctx, input, null);
  }

  /** = `invoice.hosted_invoice_url`. */
  hostedUrl(invoice: Schemas['Invoice']): string {
    return invoice.hosted_invoice_url;
  }

  /** `listener` runs inside the transaction that marks an invoice paid; a throw rolls the payment back. */
  onInvoicePaid(listener: InvoicePaidListener): void {
    this.paidListeners.push(listener);
  }

  /** The newest open (or uncollectible) invoice of a service, or null. */
  async findOpenInvoiceForService(ctx: RequestContext, serviceId: string): Promise<Schemas['Invoice'] | null> {
    const invoice = await this.repo.findOpenForService(ctx, serviceId);
    return invoice ? this.present(ctx, invoice) : null;
  }

  /**
   * Charges the customer's default saved method for what is due. `paid: false` (with
   * `invoice.payment_failed` and `last_payment_error`) when declined, when there is no saved
   * method, or in live mode without a payment provider. An invoice already paid answers `paid: true`;
   * a draft or void one → 409. Joins the caller's transaction.
   */
  async payWithDefaultMethod(ctx: RequestContext, invoiceId: string): Promise<{ paid: boolean; invoice: Schemas['Invoice'] }> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, invoiceId);
      if (invoice.status === 'paid') return { paid: true, invoice: await this.present(txCtx, invoice) };
      this.assertChargeable(invoice);
      try {
        const intent = await this.payments.chargeSavedMethod(txCtx, 'invoice', invoice.id, {
          customerId: invoice.customerId, amount: amountDue(invoice.status, invoice.total, invoice.amountPaid), currency: invoice.currency,
        });
        if (intent.status === 'failed') await this.recordFailure(txCtx, invoice.id, intent.failure_code ?? 'card_declined', intent.failure_message ?? 'The payment failed.');
      } catch (err) {
        // Both are raised before payments writes anything, so this transaction is still clean.
        if (!(err instanceof ValidationError) || err.field !== 'payment_method') throw err;
        const none = err.message.includes(NO_SAVED_PAYMENT_METHOD);
        await this.recordFailure(txCtx, invoice.id, none ? 'no_payment_method' : 'payment_provider_unavailable', none ? 'The customer has no saved payment method.' : 'Online payment is not available.');
      }
      const now = await this.reload(txCtx, invoice.id);
      return { paid: now.status === 'paid', invoice: await this.present(txCtx, now) };
    });
  }

  // --- reads

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
    }
    const rows = await this.repo.listInvoices(ctx, page, sort, filters);
    return new Page(await this.presentMany(ctx, rows.items), rows.meta);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.present(ctx, await this.getOrThrow(ctx, id));
  }

  // --- create

  /** `POST /invoices`: resolves the customer (id, or e-mail + account_ref_id) and the lines (lines, or product_manage_id + amount). */
  async createFromRequest(ctx: RequestContext, body: CreateInvoiceDto): Promise<Schemas['Invoice']> {
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
      let lines: InvoiceLineInput[];
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
    const exact = input.lines.reduce((sum, l) => sum + BigInt(l.unit_amount) * BigInt(l.quantity), 0n);
    if (exact > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('lines', 'the invoice total exceeds the largest amount that can be represented exactly');
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.customers.getOrThrow(txCtx, input.customerId);
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
      });
      await this.repo.insertLines(txCtx, lines);
      const token = await this.mintToken(txCtx, invoice.id);
      if (input.sendToCustomer && status !== 'draft') {
        await this.sendMail(txCtx, invoice, this.urlOf(token), `invoice:${invoice.id}:created`);
      }
      const result = await this.present(txCtx, await this.reload(txCtx, invoice.id));
      await this.events.record(txCtx, 'invoice.created', result);
      if (status === 'paid') await this.paid(txCtx, result);
      return result;
    });
  }

  // --- status changes

  /** draft → open (a zero total is paid at once). */
  async finalize(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      if (invoice.status !== 'draft') throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only a draft can be finalized`, 'status');
      const next: InvoiceStatus = invoice.total === 0 ? 'paid' : 'open';
      await this.repo.updateInvoice(txCtx, invoice.id, { status: next, ...(next === 'paid' ? { paidAt: new Date() } : {}) });
      const result = await this.present(txCtx, await this.reload(txCtx, invoice.id));
      if (next === 'paid') await this.paid(txCtx, result);
      return result;
    });
  }

  /** Only while nothing was paid (409 otherwise). */
  async void(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      if (!isVoidable(invoice.status, invoice.amountPaid)) {
        const why = invoice.amountPaid > 0 ? `${invoice.amountPaid} ${invoice.currency} was paid on it` : `it is ${invoice.status}`;
        throw new ConflictError(`Invoice ${invoice.id} cannot be voided: ${why}`, 'status');
      }
      await this.repo.updateInvoice(txCtx, invoice.id, { status: 'void', voidedAt: new Date() });
      const result = await this.present(txCtx, await this.reload(txCtx, invoice.id));
      await this.events.record(txCtx, 'invoice.voided', result);
      return result;
    });
  }

  async markUncollectible(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      if (invoice.status !== 'open') throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only an open invoice can be marked uncollectible`, 'status');
      await this.repo.updateInvoice(txCtx, invoice.id, { status: 'uncollectible' });
      return this.present(txCtx, await this.reload(txCtx, invoice.id));
    });
  }

  /** Queues the invoice e-mail (a fresh link when the current one is about to expire). */
  async send(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only an unpaid invoice can be sent`, 'status');
      const current = (await this.repo.newestTokens(txCtx, [invoice.id])).get(invoice.id);
      const token = current && current.expiresAt.getTime() - Date.now() > RENEW_LINK_WITHIN_MS
        ? this.tokenOf(current.nonce)
        : await this.mintToken(txCtx, invoice.id);
      await this.sendMail(txCtx, invoice, this.urlOf(token), `invoice:${invoice.id}:send:${txCtx.requestId}`);
      return this.present(txCtx, await this.reload(txCtx, invoice.id));
    });
  }

  // --- money

  /**
   * `POST /invoices/{id}/pay`: charges what is due with `card`, or with the customer's default
   * saved method when there is no card (422 when none). A decline is not an error: the invoice
   * stays open with `last_payment_error` and `invoice.payment_failed` is recorded.
   */
  async pay(ctx: RequestContext, id: string, card: CardInput | undefined): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      this.assertChargeable(invoice);
      const amount = amountDue(invoice.status, invoice.total, invoice.amountPaid);
      const intent = card
        ? await this.payments.chargeTarget(txCtx, 'invoice', invoice.id, { amount, currency: invoice.currency, customer_id: invoice.customerId, payment_method: 'card', card })
        : await this.payments.chargeSavedMethod(txCtx, 'invoice', invoice.id, { customerId: invoice.customerId, amount, currency: invoice.currency });
      if (intent.status === 'failed') {
        await this.recordFailure(txCtx, invoice.id, intent.failure_code ?? 'card_declined', intent.failure_message ?? 'The payment failed.');
      }
      return this.present(txCtx, await this.reload(txCtx, invoice.id));
    });
  }

  /** Refunds `amount` (default all that is left) of what was paid; never more (409). */
  async refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.lockOr404(txCtx, id);
      const refundable = invoice.amountPaid - invoice.amountRefunded;
      if (refundable <= 0) throw new ConflictError(`Invoice ${invoice.id} has nothing left to refund`, 'amount');
      const want = amount ?? refundable;
      if (want > refundable) {
        throw new ConflictError(`cannot refund ${want}: only ${refundable} ${invoice.currency} of invoice ${invoice.id} is left to refund`, 'amount');
      }
      const refunded = await this.payments.refundTarget(txCtx, 'invoice', invoice.id, reason, want);
      if (refunded !== want) {
        throw new ConflictError(`only ${refunded} of ${want} ${invoice.currency} could be refunded (disputed payments cannot be refunded)`, 'amount');
      }
      return this.present(txCtx, await this.reload(txCtx, invoice.id));
    });
  }

  // --- the payment target ('invoice')

  async assertPayable(ctx: RequestContext, invoiceId: string, amount: number, currency: string): Promise<{ customerId: string | null }> {
    const invoice = await this.getOrThrow(ctx, invoiceId);
    if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status} and cannot be paid`, 'invoice_id');
    if (invoice.currency !== currency) throw new ConflictError(`Invoice ${invoice.id} is in ${invoice.currency}, not ${currency}`, 'currency');
    const due = amountDue(invoice.status, invoice.total, invoice.amountPaid);
    if (amount > due) throw new ConflictError(`Invoice ${invoice.id} has ${due} ${invoice.currency} left to pay; ${amount} is more than that`, 'amount');
    return { customerId: invoice.customerId };
  }

  /**
   * Called by payments inside the payment's transaction after every money movement: keeps
   * amount_paid and amount_refunded, marks the invoice paid once captured ≥ total (`invoice.paid`,
   * then the paid listeners), and records `invoice.refunded` when more was refunded than before.
   */
  async onPaymentChanged(ctx: RequestContext, invoiceId: string, summary: PaymentSummary): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.repo.lockInvoice(txCtx, parseIdOr404(invoiceId, 'inv', 'invoice'));
      if (!invoice) throw new NotFoundError('invoice', invoiceId);
      const paidNow = isPayable(invoice.status) && summary.captured >= invoice.total;
      const refundedMore = summary.refunded > invoice.amountRefunded;
      if (!paidNow && summary.captured === invoice.amountPaid && summary.refunded === invoice.amountRefunded) return;
      await this.repo.updateInvoice(txCtx, invoice.id, {
        amountPaid: summary.captured,
        amountRefunded: summary.refunded,
        ...(paidNow ? { status: 'paid' as const, paidAt: new Date(), lastPaymentErrorCode: null, lastPaymentErrorMessage: null } : {}),
      });
      const result = await this.present(txCtx, await this.reload(txCtx, invoice.id));
      if (paidNow) await this.paid(txCtx, result);
      if (refundedMore) await this.events.record(txCtx, 'invoice.refunded', result);
    });
  }

  // --- the hosted page

  /** The invoice behind a hosted-page token, or null when the token is malformed, unknown or expired. */
  async resolveToken(token: string, requestId: string): Promise<HostedInvoice | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const row = await this.repo.findLiveTokenByHash(RequestContext.anonymous(requestId), this.hashOf(token));
    if (!row) return null;
    const ctx = RequestContext.system('hosted-page', row.tenantId, row.mode, requestId);
    const invoice = await this.repo.findInvoice(ctx, row.invoiceId);
    if (!invoice) return null;
    let canPayOnline = true;
    try {
      this.providers.for(ctx);
    } catch {
      canPayOnline = false;
    }
    return { ctx, invoice: await this.present(ctx, invoice), canPayOnline };
  }

  // --- helpers

  private assertChargeable(invoice: InvoiceEntity): void {
    if (invoice.status === 'draft') throw new ConflictError(`Invoice ${invoice.id} is a draft; finalize it before paying`, 'status');
    if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status} and cannot be paid`, 'status');
  }

  private async paid(ctx: RequestContext, invoice: Schemas['Invoice']): Promise<void> {
    await this.events.record(ctx, 'invoice.paid', invoice);
    for (const listener of this.paidListeners) await listener(ctx, invoice);
  }

  private async recordFailure(ctx: RequestContext, invoiceId: string, code: string, message: string): Promise<void> {
    await this.repo.updateInvoice(ctx, invoiceId, { lastPaymentErrorCode: code, lastPaymentErrorMessage: message });
    await this.events.record(ctx, 'invoice.payment_failed', await this.present(ctx, await this.reload(ctx, invoiceId)));
  }

  private async sendMail(ctx: RequestContext, invoice: InvoiceEntity, url: string, dedupeKey: string): Promise<void> {
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

  private async mintToken(ctx: RequestContext, invoiceId: string): Promise<string> {
    const nonce = randomBytes(16).toString('base64url');
    const token = this.tokenOf(nonce);
    await this.repo.insertToken(ctx, {
      invoiceId,
      nonce,
      tokenHash: this.hashOf(token),
      expiresAt: new Date(Date.now() + this.config.HOSTED_PAGE_TTL_HOURS * 3600 * 1000),
    });
    return token;
  }

  /** 32 bytes, base64url: HMAC-SHA256 of the nonce under a key derived from the server secret. */
  private tokenOf(nonce: string): string {
    return createHmac('sha256', this.tokenKey).update(nonce).digest('base64url');
  }

  private hashOf(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  private urlOf(token: string): string {
    const base = (this.config.PUBLIC_BASE_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/+$/, '');
    return `${base}/pay/${token}`;
  }

  private async present(ctx: RequestContext, invoice: InvoiceEntity): Promise<Schemas['Invoice']> {
    return (await this.presentMany(ctx, [invoice]))[0];
  }

  private async presentMany(ctx: RequestContext, invoices: InvoiceEntity[]): Promise<Schemas['Invoice'][]> {
    const ids = invoices.map((i) => i.id);
    const lines = await this.repo.linesOf(ctx, ids);
    const tokens = await this.repo.newestTokens(ctx, ids);
    return invoices.map((i) => toInvoice(i, lines.get(i.id) ?? [], this.urlFor(tokens.get(i.id))));
  }

  private urlFor(token: InvoicePageTokenEntity | undefined): string {
    if (!token) throw new Error('invoice without a hosted page token');
    return this.urlOf(this.tokenOf(token.nonce));
  }

  /** The invoice of this tenant and mode (and, for a customer user, of its customer), or 404. */
  private async getOrThrow(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.findInvoice(ctx, parseIdOr404(id, 'inv', 'invoice'));
    const scope = ctx.customerScope;
    if (!invoice || (scope !== null && invoice.customerId !== scope)) throw new NotFoundError('invoice', id);
    return invoice;
  }

  private async lockOr404(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.lockInvoice(ctx, parseIdOr404(id, 'inv', 'invoice'));
    const scope = ctx.customerScope;
    if (!invoice || (scope !== null && invoice.customerId !== scope)) throw new NotFoundError('invoice', id);
    return invoice;
  }

  private async reload(ctx: RequestContext, id: string): Promise<InvoiceEntity> {
    const invoice = await this.repo.findInvoice(ctx, id);
    if (!invoice) throw new Error(`invoice ${id} vanished inside its transaction`);
    return invoice;
  }
}

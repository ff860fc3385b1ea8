import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError } from '../../platform/errors/domain-errors';
import { parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { EventsService } from '../events/events.service';
import type { PayableTarget, PaymentFailure, PaymentSummary, PaymentTarget } from '../payments/payment-targets.port';
import { NoSavedPaymentMethodError, PaymentProviderUnavailableError } from '../payments/payments.errors';
import type { InvoiceChargesPort } from '../subscriptions/invoices.port';
import type { InvoiceEntity } from './entities/invoice.entity';
import { amountDue, isPayable, isVoidable } from './invoice-status';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoicesRepository } from './invoices.repository';
import { INVOICE_PAYMENTS, type InvoicePayments } from './payments.port';

/** The invoice's `last_payment_error` when payments refused to charge the saved method (typed errors, raised before it writes anything), else null. */
function savedMethodRefusal(err: unknown): { code: string; message: string } | null {
  if (err instanceof NoSavedPaymentMethodError) return { code: 'no_payment_method', message: 'The customer has no saved payment method.' };
  if (err instanceof PaymentProviderUnavailableError) return { code: 'payment_provider_unavailable', message: 'Online payment is not available.' };
  return null;
}

/**
 * The money side of an invoice: paying (a card, or the saved default method), refunding, voiding
 * and writing off, and the 'invoice' payment target (bound to payments' PAYMENT_TARGETS.invoice)
 * through which payments keeps `amount_paid` and `amount_refunded` true. Money itself only ever
 * moves through the payments module (billing's INVOICE_PAYMENTS port), which
 * calls the card processor outside any transaction: so do pay and refund here (they hold no
 * transaction or lock of their own while payments works; payments locks the invoice itself).
 */
@Injectable()
export class InvoiceSettlementService implements PaymentTarget, InvoiceChargesPort {
  constructor(
    private readonly repo: InvoicesRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    @Inject(INVOICE_PAYMENTS) private readonly payments: InvoicePayments,
    private readonly records: InvoiceRecordsService,
  ) {}

  /**
   * Charges the customer's default saved method for what is due. `paid: false` (with
   * `invoice.payment_failed` and `last_payment_error`) when declined, when there is no saved
   * method, or in live mode without a payment provider. An invoice already paid answers `paid: true`;
   * a draft or void one → 409. Outside any transaction.
   */
  async payWithDefaultMethod(ctx: RequestContext, invoiceId: string): Promise<{ paid: boolean; invoice: Schemas['Invoice'] }> {
    const invoice = await this.records.getOrThrow(ctx, invoiceId);
    if (invoice.status === 'paid') return { paid: true, invoice: await this.records.present(ctx, invoice) };
    this.assertChargeable(invoice);
    try {
      // A decline is recorded on the invoice by onPaymentChanged, in the payment's own transaction.
      await this.payments.chargeSavedMethod(ctx, invoice.id, {
        customerId: invoice.customerId, amount: amountDue(invoice.status, invoice.total, invoice.amountPaid), currency: invoice.currency,
      });
    } catch (err) {
      // Both are raised before payments writes anything.
      const failure = savedMethodRefusal(err);
      if (!failure) throw err;
      await this.tx.run(ctx, (txCtx) => this.recordFailure(txCtx, invoice.id, failure.code, failure.message));
    }
    const now = await this.records.reload(ctx, invoice.id);
    return { paid: now.status === 'paid', invoice: await this.records.present(ctx, now) };
  }

  /**
   * `POST /invoices/{id}/pay`: charges what is due with `card`, or with the customer's default
   * saved method when there is no card (422 when none). A decline is not an error: the invoice
   * stays open with `last_payment_error` and `invoice.payment_failed` is recorded. A payment
   * already holding what is due (paid, authorized or in progress) → 409.
   */
  async pay(ctx: RequestContext, id: string, card: Schemas['CardInput'] | undefined, paymentMethodId?: string): Promise<Schemas['Invoice']> {
    const invoice = await this.records.getOrThrow(ctx, id);
    this.assertChargeable(invoice);
    const amount = amountDue(invoice.status, invoice.total, invoice.amountPaid);
    const charge = { customerId: invoice.customerId, amount, currency: invoice.currency };
    if (card || paymentMethodId) await this.payments.chargeCard(ctx, invoice.id, { ...charge, card, paymentMethodId });
    else await this.payments.chargeSavedMethod(ctx, invoice.id, charge);
    return this.records.present(ctx, await this.records.reload(ctx, invoice.id));
  }

  /**
   * Refunds `amount` (default all that is left) of what was paid; never more (409). All of it or
   * nothing: when disputes hold part of it, 409 before any money moves.
   */
  async refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['Invoice']> {
    const invoice = await this.records.getOrThrow(ctx, id);
    const refundable = invoice.amountPaid - invoice.amountRefunded;
    if (refundable <= 0) throw new ConflictError(`Invoice ${invoice.id} has nothing left to refund`, 'amount');
    const want = amount ?? refundable;
    if (want > refundable) {
      throw new ConflictError(`cannot refund ${want}: only ${refundable} ${invoice.currency} of invoice ${invoice.id} is left to refund`, 'amount');
    }
    await this.payments.refund(ctx, invoice.id, want, reason);
    return this.records.present(ctx, await this.records.reload(ctx, invoice.id));
  }

  async paymentStateOf(ctx: RequestContext, invoiceId: string): Promise<'paid' | 'processing' | 'failed' | 'none'> {
    const invoice = await this.records.getOrThrow(ctx, invoiceId);
    if (invoice.status === 'paid') return 'paid';
    const summary = await this.payments.summaryOf(ctx, invoice.id);
    if (summary.processing > 0) return 'processing';
    return summary.lastAttempt === 'failed' ? 'failed' : 'none';
  }

  /** Only while nothing was paid (409 otherwise). */
  async void(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.records.lockOr404(txCtx, id);
      if (!isVoidable(invoice.status, invoice.amountPaid)) {
        const why = invoice.amountPaid > 0 ? `${invoice.amountPaid} ${invoice.currency} was paid on it` : `it is ${invoice.status}`;
        throw new ConflictError(`Invoice ${invoice.id} cannot be voided: ${why}`, 'status');
      }
      // A payment at the processor right now may still capture: its outcome must be recorded first.
      if ((await this.payments.summaryOf(txCtx, invoice.id)).processing > 0) {
        throw new ConflictError(`Invoice ${invoice.id} cannot be voided while a payment of it is processing`, 'status');
      }
      await this.repo.updateInvoice(txCtx, invoice.id, { status: 'void', voidedAt: new Date() });
      const result = await this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
      await this.events.record(txCtx, 'invoice.voided', result);
      return result;
    });
  }

  async markUncollectible(ctx: RequestContext, id: string): Promise<Schemas['Invoice']> {
    return this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.records.lockOr404(txCtx, id);
      if (invoice.status !== 'open') throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status}; only an open invoice can be marked uncollectible`, 'status');
      await this.repo.updateInvoice(txCtx, invoice.id, { status: 'uncollectible' });
      return this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
    });
  }

  // --- the payment target ('invoice')

  /** Locks the invoice for a payment's transaction; 409 when it cannot be paid now (draft, paid, void) or in another currency. */
  async lockPayable(ctx: RequestContext, invoiceId: string, currency: string): Promise<PayableTarget> {
    const invoice = await this.records.lockOr404(ctx, invoiceId);
    if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status} and cannot be paid`, 'invoice_id');
    if (invoice.currency !== currency) throw new ConflictError(`Invoice ${invoice.id} is in ${invoice.currency}, not ${currency}`, 'currency');
    return { customerId: invoice.customerId, total: invoice.total, label: `Invoice ${invoice.id}` };
  }

  async lock(ctx: RequestContext, invoiceId: string): Promise<void> {
    await this.records.lockOr404(ctx, invoiceId);
  }

  /**
   * Called by payments inside the payment's transaction after every money movement: keeps
   * amount_paid and amount_refunded, marks the invoice paid once captured ≥ total (`invoice.paid`,
   * then the paid listeners), records `invoice.refunded` when more was refunded than before, and a
   * failed payment as `last_payment_error` with `invoice.payment_failed`.
   */
  async onPaymentChanged(ctx: RequestContext, invoiceId: string, summary: PaymentSummary, failure?: PaymentFailure): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const invoice = await this.repo.lockInvoice(txCtx, parseIdOr404(invoiceId, 'inv', 'invoice'));
      if (!invoice) throw new NotFoundError('invoice', invoiceId);
      if (failure) await this.recordFailure(txCtx, invoice.id, failure.code, failure.message);
      const paidNow = isPayable(invoice.status) && summary.captured >= invoice.total;
      const refundedMore = summary.refunded > invoice.amountRefunded;
      if (!paidNow && summary.captured === invoice.amountPaid && summary.refunded === invoice.amountRefunded) return;
      await this.repo.updateInvoice(txCtx, invoice.id, {
        amountPaid: summary.captured,
        amountRefunded: summary.refunded,
        ...(paidNow ? { status: 'paid' as const, paidAt: new Date(), lastPaymentErrorCode: null, lastPaymentErrorMessage: null } : {}),
      });
      const result = await this.records.present(txCtx, await this.records.reload(txCtx, invoice.id));
      if (paidNow) await this.records.paid(txCtx, result);
      if (refundedMore) await this.events.record(txCtx, 'invoice.refunded', result);
    });
  }

  private assertChargeable(invoice: InvoiceEntity): void {
    if (invoice.status === 'draft') throw new ConflictError(`Invoice ${invoice.id} is a draft; finalize it before paying`, 'status');
    if (!isPayable(invoice.status)) throw new ConflictError(`Invoice ${invoice.id} is ${invoice.status} and cannot be paid`, 'status');
  }

  private async recordFailure(ctx: RequestContext, invoiceId: string, code: string, message: string): Promise<void> {
    await this.repo.updateInvoice(ctx, invoiceId, { lastPaymentErrorCode: code, lastPaymentErrorMessage: message });
    await this.events.record(ctx, 'invoice.payment_failed', await this.records.present(ctx, await this.records.reload(ctx, invoiceId)));
  }
}

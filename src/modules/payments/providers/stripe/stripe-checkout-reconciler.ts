import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { TransactionService } from '../../../../database/transaction.service';
import type { RequestContext } from '../../../../platform/context/request-context';
import { ConflictError } from '../../../../platform/errors/domain-errors';
import { newId } from '../../../../platform/ids/ids';
import { CustomersService } from '../../../customers/customers.service';
import { EventsService } from '../../../events/events.service';
import { PaymentLedgerService } from '../../payment-ledger.service';
import { PaymentTargets } from '../../payment-targets';
import { PaymentsRepository } from '../../payments.repository';
import { SavedPaymentMethodsService } from '../../saved-payment-methods.service';
import { fromStripeAmount } from './stripe-amounts';
import { STRIPE_CLIENT } from './stripe-client';
import { INVOICE_KEY } from './stripe-metadata';
import { StripePaymentProvider } from './stripe-payment-provider';
import { StripeRecordsRepository } from './stripe-records.repository';

/**
 * checkout.session.completed: the hosted invoice page's Stripe Checkout payment becomes one of our
 * payments (succeeded, with its ledger row and events) and the invoice is paid — only from this
 * confirmed event, never from the payer's redirect. Once per session (linked in the recording
 * transaction). Money that arrives for an invoice that meanwhile cannot take it (paid another way,
 * voided) is refunded at Stripe under a key derived from the session, so a redelivery refunds once.
 */
@Injectable()
export class StripeCheckoutReconciler {
  private readonly logger = new Logger('StripeCheckout');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
    private readonly provider: StripePaymentProvider,
    private readonly records: StripeRecordsRepository,
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly targets: PaymentTargets,
    private readonly customers: CustomersService,
    private readonly events: EventsService,
    private readonly ledger: PaymentLedgerService,
    private readonly savedMethods: SavedPaymentMethodsService,
  ) {}

  async completed(ctx: RequestContext, sessionId: string): Promise<boolean> {
    const stripe = this.client!;
    const session = await stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent.payment_method'] });
    const invoiceId = session.metadata?.[INVOICE_KEY];
    const pi = session.payment_intent;
    if (session.payment_status !== 'paid' || !invoiceId || !pi || typeof pi === 'string') return false;
    const method = pi.payment_method && typeof pi.payment_method !== 'string' ? pi.payment_method : null;
    const kept = method ? await this.provider.reusableMethod(ctx, pi.id).catch(() => null) : null;
    const amount = fromStripeAmount(pi.amount_received, pi.currency);
    try {
      await this.tx.run(ctx, async (txCtx) => {
        const intentId = newId('pi');
        if (!(await this.records.linkOnce(txCtx, 'checkout', intentId, session.id))) return;
        const payable = await this.targets.get('invoice').lockPayable(txCtx, invoiceId, pi.currency);
        const left = payable.total - (await this.repo.committedToTarget(txCtx, 'invoice', invoiceId, null));
        if (amount > left) throw new ConflictError(`${payable.label} has only ${left} ${pi.currency} left to pay`, 'amount');
        const customer = payable.customerId ? await this.customers.getOrThrow(txCtx, payable.customerId) : null;
        const intent = await this.repo.insertIntent(txCtx, {
          id: intentId, amount, currency: pi.currency, status: 'succeeded', captureMethod: 'automatic', paymentMethod: 'card',
          amountCaptured: amount, amountRefunded: 0, amountDisputed: 0, targetKind: 'invoice', targetId: invoiceId,
          customerId: customer?.id ?? null, customerEmail: customer?.email ?? null, accountRefId: customer?.accountRefId ?? null,
          cardBrand: method?.card?.brand ?? null, cardLast4: method?.card?.last4 ?? null, cardExpMonth: method?.card?.exp_month ?? null,
          cardExpYear: method?.card?.exp_year ?? null, processorRef: pi.id, failureCode: null, failureMessage: null,
          metadata: { stripe_checkout_session: session.id }, offlineReference: null, paidAt: null,
        });
        await this.ledger.record(txCtx, intent, 'charge', amount, {});
        await this.events.record(txCtx, 'payment.succeeded', await this.ledger.present(txCtx, intent));
        if (kept) await this.savedMethods.saveIfInvoice(txCtx, intent, { method: kept });
        await this.ledger.notifyTarget(txCtx, intent.id);
      });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      this.logger.warn({ invoice_id: invoiceId, stripe_session: session.id, err: err.message }, 'Checkout payment for an invoice that cannot take it: refunded at Stripe');
      await stripe.refunds.create({ payment_intent: pi.id, reason: 'duplicate' }, { idempotencyKey: `checkout-refund:${session.id}` });
    }
    return true;
  }
}

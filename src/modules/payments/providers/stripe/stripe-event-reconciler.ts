import { Inject, Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { TransactionService } from '../../../../database/transaction.service';
import type { RequestContext } from '../../../../platform/context/request-context';
import { ConflictError, NotFoundError } from '../../../../platform/errors/domain-errors';
import { newId } from '../../../../platform/ids/ids';
import { EventsService } from '../../../events/events.service';
import type { PaymentIntentEntity } from '../../entities/payment-intent.entity';
import { PaymentDisputesService } from '../../payment-disputes.service';
import { PaymentIntentsService } from '../../payment-intents.service';
import { PaymentLedgerService } from '../../payment-ledger.service';
import { PaymentProcessingService, type StepOutcome } from '../../payment-processing.service';
import { PaymentRefundsService } from '../../payment-refunds.service';
import { PaymentsRepository } from '../../payments.repository';
import { processorKeys } from '../payment-provider.port';
import { fromStripeAmount } from './stripe-amounts';
import { STRIPE_CLIENT } from './stripe-client';
import { REFUND_KEY } from './stripe-metadata';
import { StripePaymentProvider } from './stripe-payment-provider';
import { StripeRecordsRepository } from './stripe-records.repository';

/**
 * Applies Stripe's events to our records. Every step is guarded like the request paths (an intent
 * is recorded only while `processing`; disputes and Dashboard refunds are linked to their Stripe
 * id in the same transaction that records them), so an event applied twice, concurrently, or after
 * the request itself recorded the outcome changes nothing the second time. Object states are read
 * fresh from Stripe, not from the event's snapshot (events may arrive out of order).
 */
@Injectable()
export class StripeEventReconciler {
  private readonly logger = new Logger('StripeEvents');

  constructor(
    @Inject(STRIPE_CLIENT) private readonly client: Stripe | null,
    private readonly provider: StripePaymentProvider,
    private readonly records: StripeRecordsRepository,
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly ledger: PaymentLedgerService,
    private readonly processing: PaymentProcessingService,
    private readonly intents: PaymentIntentsService,
    private readonly refunds: PaymentRefundsService,
    private readonly disputes: PaymentDisputesService,
  ) {}

  private get stripe(): Stripe {
    if (!this.client) throw new Error('Stripe is not configured');
    return this.client;
  }

  /** Our intent behind a PaymentIntent, or null when it is not one of ours (or not this tenant's). */
  async ourIntent(ctx: RequestContext, intentId: string | undefined): Promise<PaymentIntentEntity | null> {
    if (!intentId) return null;
    try {
      return await this.ledger.intentOr404(ctx, intentId);
    } catch (err) {
      if (err instanceof NotFoundError) return null;
      throw err;
    }
  }

  /**
   * payment_intent.succeeded | payment_failed | amount_capturable_updated: an intent whose answer was
   * lost (`processing`) is recorded from Stripe's state; one waiting for 3-D Secure is confirmed.
   */
  async settleIntent(ctx: RequestContext, intent: PaymentIntentEntity, stripeIntentId: string): Promise<void> {
    if (intent.status === 'requires_action') {
      await this.intents.confirm(ctx, intent.id, undefined).catch((err) => {
        if (!(err instanceof ConflictError)) throw err;
      });
      return;
    }
    if (intent.status !== 'processing') return;
    const pi = await this.stripe.paymentIntents.retrieve(stripeIntentId);
    const outcome = this.outcomeOf(pi, intent);
    if (outcome) await this.processing.record(ctx, intent.id, outcome);
  }

  private outcomeOf(pi: Stripe.PaymentIntent, intent: PaymentIntentEntity): StepOutcome | null {
    switch (pi.status) {
      case 'succeeded':
        return { kind: 'captured', processorRef: pi.id, amount: fromStripeAmount(pi.amount_received, pi.currency) };
      case 'requires_capture':
        // Automatic capture still to be asked for: the request (or the reconciliation job) does it.
        return intent.captureMethod === 'manual' ? { kind: 'authorized', processorRef: pi.id } : null;
      case 'requires_action':
        return { kind: 'requires_action', processorRef: pi.id };
      case 'requires_payment_method':
      case 'canceled':
        return { kind: 'declined', code: pi.last_payment_error?.code ?? (pi.status === 'canceled' ? 'canceled' : 'card_declined'), message: pi.last_payment_error?.message ?? `The payment is ${pi.status}.` };
      default:
        return null;
    }
  }

  /**
   * charge.refunded: our pending refunds that Stripe made are recorded; refunds made in the Stripe
   * Dashboard (no refund id of ours in their metadata) are recorded as new refunds, once each.
   */
  async refunded(ctx: RequestContext, intent: PaymentIntentEntity): Promise<void> {
    if (!intent.processorRef) return;
    const atStripe = await this.stripe.refunds.list({ payment_intent: intent.processorRef, limit: 100 });
    const ours = (await this.repo.refundsOf(ctx, [intent.id])).get(intent.id) ?? [];
    for (const refund of ours.filter((r) => r.status === 'pending')) {
      // Only what Stripe shows is settled here; a refund it does not know yet may still be on its way (the job decides later).
      const seen = await this.provider.lookup(ctx, processorKeys.refund(refund.id), intent.processorRef);
      if (seen) await this.refunds.record(ctx, refund.id, 'succeeded');
    }
    for (const refund of atStripe.data) {
      if (refund.metadata?.[REFUND_KEY] || refund.status !== 'succeeded') continue;
      await this.recordDashboardRefund(ctx, intent.id, refund);
    }
  }

  private async recordDashboardRefund(ctx: RequestContext, intentId: string, refund: Stripe.Refund): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, await this.ledger.reload(txCtx, intentId));
      const intent = await this.ledger.lockOr404(txCtx, intentId);
      const refundId = newId('re');
      if (!(await this.records.linkOnce(txCtx, 'refund', refundId, refund.id))) return;
      const amount = fromStripeAmount(refund.amount, refund.currency);
      if (!(await this.repo.refundGuarded(txCtx, intent.id, amount))) {
        this.logger.error({ payment_id: intent.id, stripe_refund: refund.id }, 'Stripe refunded more than this payment holds; not recorded');
        throw new ConflictError(`Stripe refund ${refund.id} exceeds what is left of payment ${intent.id}`);
      }
      await this.repo.insertRefund(txCtx, { id: refundId, intentId: intent.id, amount, currency: intent.currency, reason: refund.reason ?? 'refunded in the Stripe Dashboard', status: 'succeeded' });
      await this.ledger.record(txCtx, intent, 'refund', -amount, { refundId });
      await this.events.record(txCtx, 'payment.refunded', await this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id)));
      await this.ledger.notifyTarget(txCtx, intent.id);
    });
  }

  /** charge.dispute.created: the dispute opened against the payment (its amount held), once per Stripe dispute. */
  async disputeOpened(ctx: RequestContext, intent: PaymentIntentEntity, dispute: Stripe.Dispute): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, intent);
      const locked = await this.ledger.lockOr404(txCtx, intent.id);
      const disputeId = newId('dp');
      if (!(await this.records.linkOnce(txCtx, 'dispute', disputeId, dispute.id))) return;
      const amount = fromStripeAmount(dispute.amount, dispute.currency);
      await this.repo.insertDispute(txCtx, { id: disputeId, intentId: locked.id, amount, currency: locked.currency, reason: dispute.reason });
      await this.ledger.record(txCtx, locked, 'dispute', -amount, { disputeId });
      await this.ledger.notifyTarget(txCtx, locked.id);
    });
  }

  /** charge.dispute.closed: won gives the money back, lost keeps it withdrawn; other closings (warnings) change nothing. */
  async disputeClosed(ctx: RequestContext, intent: PaymentIntentEntity, dispute: Stripe.Dispute): Promise<void> {
    const fresh = await this.stripe.disputes.retrieve(dispute.id);
    const status: string = fresh.status;
    const outcome = status === 'won' ? 'won' : status === 'lost' ? 'lost' : null;
    if (!outcome) return;
    if (!(await this.records.localIdOf(ctx, 'dispute', dispute.id))) await this.disputeOpened(ctx, intent, fresh);
    const disputeId = await this.records.localIdOf(ctx, 'dispute', dispute.id);
    if (!disputeId) return;
    await this.disputes.settle(ctx, disputeId, outcome).catch((err) => {
      if (!(err instanceof ConflictError)) throw err; // closed already: a redelivery
    });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { EventsService } from '../events/events.service';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentsRepository } from './payments.repository';
import { processorKeys, type AuthorizeResult, type CardInput, type PaymentProvider, type ReusableMethod } from './providers/payment-provider.port';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

/** What the processor answered for one step of a payment, as the recording transaction applies it. */
export type StepOutcome =
  | { kind: 'declined'; code: string; message: string }
  | { kind: 'requires_action'; processorRef: string }
  | { kind: 'authorized'; processorRef: string }
  | { kind: 'captured'; processorRef: string; amount: number; dispute?: { reason: string } }
  /** Reconciliation only: the processor never saw the authorization, so nothing was charged. */
  | { kind: 'never_sent' };

/**
 * What pays: a card (test mode), a processor-side payment method the payer's browser created (live:
 * Stripe's `pm_…`, kept for `keepFor`'s later charges when set), or a saved method's reusable reference.
 */
export type ChargeSource = { card: CardInput } | { paymentMethodId: string; keepFor: string | null } | { methodRef: string };

/** A card (reference fetched beforehand) or a processor-side method to save as the customer's default once its payment is recorded. */
export type CardToSave = { card: CardInput; ref: string | null } | { method: ReusableMethod };

/** DESIGN rule 13 made executable: a processor call inside a transaction is a programming error. */
export function assertOutsideTransaction(ctx: RequestContext, what: string): void {
  if (ctx.manager?.queryRunner?.isTransactionActive) {
    throw new Error(`${what} calls the card processor and must not run inside a database transaction (record, commit, call, record)`);
  }
}

/**
 * The middle and last step of every charge: (1) the caller has recorded the intent as `processing`
 * and committed; (2) here the processor is called OUTSIDE any transaction, with keys derived from
 * the intent id (`processorKeys`), so a repeat never charges twice; (3) `record` applies the answer
 * in a second transaction, only while the intent is still `processing`. When the answer is lost
 * (an error, a hang, a killed process) the intent stays `processing` and the reconciliation job
 * asks the processor what happened (`reconcile`), so the money and the records end up agreeing.
 */
@Injectable()
export class PaymentProcessingService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly ledger: PaymentLedgerService,
    private readonly disputes: PaymentDisputesService,
    private readonly savedMethods: SavedPaymentMethodsService,
  ) {}

  // --- step 2: the processor (outside any transaction); null when the answer was lost

  /** Authorizes with a card or a saved method, and captures at once when capture is automatic. */
  async authorize(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, source: ChargeSource): Promise<StepOutcome | null> {
    assertOutsideTransaction(ctx, 'authorizing a payment');
    return this.calling(intent, async () => {
      const request = { intentId: intent.id, amount: intent.amount, currency: intent.currency };
      if ('card' in source) return this.afterAuthorization(ctx, intent, provider, await provider.authorize(ctx, { ...request, card: source.card }));
      if ('paymentMethodId' in source) {
        const result = await provider.authorizeMethod!(ctx, { ...request, paymentMethodId: source.paymentMethodId, customerId: source.keepFor });
        return this.afterAuthorization(ctx, intent, provider, result);
      }
      const result = await provider.authorizeSaved!(ctx, { ...request, methodRef: source.methodRef });
      if (result.outcome === 'requires_action') {
        // An off-session charge cannot take a customer challenge: it fails like a decline.
        return { kind: 'declined', code: 'authentication_required', message: 'The card needs the customer to authenticate the payment.' };
      }
      return this.afterAuthorization(ctx, intent, provider, result);
    });
  }

  /** Completes 3-D Secure on an authorization, then captures when automatic. */
  async confirm(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider): Promise<StepOutcome | null> {
    assertOutsideTransaction(ctx, 'confirming a payment');
    return this.calling(intent, async () => {
      const ref = intent.processorRef ?? '';
      const result = await provider.confirm(ctx, processorKeys.confirm(intent.id), ref);
      if (result.outcome === 'declined') return { kind: 'declined', code: result.code, message: result.message };
      if (result.outcome === 'requires_action') return { kind: 'requires_action', processorRef: ref };
      return this.afterAuthorization(ctx, intent, provider, { outcome: 'authorized', processorRef: ref });
    });
  }

  /** Captures `amount` of an authorization. */
  async capture(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, amount: number): Promise<StepOutcome | null> {
    assertOutsideTransaction(ctx, 'capturing a payment');
    return this.calling(intent, () => this.captureNow(ctx, intent, provider, intent.processorRef ?? '', amount));
  }

  private async afterAuthorization(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, result: AuthorizeResult): Promise<StepOutcome> {
    if (result.outcome === 'declined') return { kind: 'declined', code: result.code, message: result.message };
    if (result.outcome === 'requires_action') return { kind: 'requires_action', processorRef: result.processorRef };
    if (intent.captureMethod === 'manual') return { kind: 'authorized', processorRef: result.processorRef };
    return this.captureNow(ctx, intent, provider, result.processorRef, intent.amount);
  }

  private async captureNow(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, processorRef: string, amount: number): Promise<StepOutcome> {
    const result = await provider.capture(ctx, processorKeys.capture(intent.id), processorRef, amount, intent.currency);
    return { kind: 'captured', processorRef, amount, dispute: result.dispute };
  }

  private async calling(intent: PaymentIntentEntity, call: () => Promise<StepOutcome>): Promise<StepOutcome | null> {
    try {
      return await call();
    } catch (err) {
      // The processor may have acted: the intent stays `processing` until the reconciliation asks it.
      this.logger.warn({ payment_id: intent.id, err: (err as Error).message }, 'card processor answer lost; the payment stays processing until reconciled');
      return null;
    }
  }

  // --- step 3: the record (its own transaction)

  /** Applies the processor's answer once; false when the intent had left `processing` meanwhile. */
  async record(ctx: RequestContext, intentId: string, outcome: StepOutcome, save?: CardToSave): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, await this.ledger.reload(txCtx, intentId));
      const intent = await this.repo.lockIntent(txCtx, intentId);
      if (!intent || intent.status !== 'processing') return false;
      switch (outcome.kind) {
        case 'declined':
          await this.fail(txCtx, intent.id, outcome.code, outcome.message);
          break;
        case 'never_sent':
          await this.fail(txCtx, intent.id, 'processing_error', 'The payment never reached the card processor; nothing was charged.');
          break;
        case 'requires_action':
          await this.repo.updateIntent(txCtx, intent.id, { status: 'requires_action', processorRef: outcome.processorRef });
          await this.ledger.notifyTarget(txCtx, intent.id);
          break;
        case 'authorized':
          await this.repo.updateIntent(txCtx, intent.id, { status: 'requires_capture', processorRef: outcome.processorRef });
          if (save) await this.savedMethods.saveIfInvoice(txCtx, intent, save);
          await this.ledger.notifyTarget(txCtx, intent.id);
          break;
        case 'captured':
          if (save) await this.savedMethods.saveIfInvoice(txCtx, intent, save);
          await this.captured(txCtx, intent, outcome);
          break;
      }
      return true;
    });
  }

  /** Sets a `processing` intent back (a step that never reached the processor), e.g. to `requires_capture`. */
  async revert(ctx: RequestContext, intentId: string, status: 'requires_capture' | 'requires_action'): Promise<boolean> {
    return this.tx.run(ctx, async (txCtx) => {
      await this.ledger.lockTargetOf(txCtx, await this.ledger.reload(txCtx, intentId));
      if (!(await this.repo.moveStatus(txCtx, intentId, ['processing'], status))) return false;
      await this.ledger.notifyTarget(txCtx, intentId);
      return true;
    });
  }

  private async captured(ctx: RequestContext, intent: PaymentIntentEntity, outcome: Extract<StepOutcome, { kind: 'captured' }>): Promise<void> {
    if (intent.processorRef !== outcome.processorRef) await this.repo.updateIntent(ctx, intent.id, { processorRef: outcome.processorRef });
    if (!(await this.repo.captureGuarded(ctx, intent.id, outcome.amount))) {
      throw new Error(`payment ${intent.id}: the processor captured ${outcome.amount}, more than the ${intent.amount} authorized`);
    }
    await this.repo.settleCharge(ctx, intent.id, 'completed', outcome.amount);
    const captured = await this.ledger.reload(ctx, intent.id);
    await this.events.record(ctx, 'payment.succeeded', await this.ledger.present(ctx, captured));
    if (outcome.dispute) await this.disputes.open(ctx, captured, outcome.dispute.reason);
    await this.ledger.notifyTarget(ctx, intent.id);
  }

  private async fail(ctx: RequestContext, intentId: string, code: string, message: string): Promise<void> {
    await this.repo.updateIntent(ctx, intentId, { status: 'failed', failureCode: code, failureMessage: message });
    await this.repo.settleCharge(ctx, intentId, 'failed');
    await this.events.record(ctx, 'payment.failed', await this.ledger.present(ctx, await this.ledger.reload(ctx, intentId)));
    await this.ledger.notifyTarget(ctx, intentId, { intentId, code, message });
  }

  // --- reconciliation: a `processing` intent whose answer was lost

  /**
   * Asks the processor what it did for this intent's keys and records that, exactly once (a second
   * run finds the intent settled and changes nothing). Must run outside any transaction.
   */
  async reconcile(ctx: RequestContext, intentId: string, provider: PaymentProvider): Promise<'settled' | 'unchanged'> {
    assertOutsideTransaction(ctx, 'reconciling a payment');
    const intent = await this.ledger.reload(ctx, intentId);
    if (intent.status !== 'processing') return 'unchanged';
    const auth = await provider.lookup(ctx, processorKeys.authorize(intent.id), intent.processorRef);
    const capture = await provider.lookup(ctx, processorKeys.capture(intent.id), intent.processorRef);
    const ref = auth?.operation === 'authorize' && auth.result.outcome !== 'declined' ? auth.result.processorRef : intent.processorRef ?? '';
    let outcome: StepOutcome;
    if (capture?.operation === 'capture') outcome = { kind: 'captured', processorRef: ref, amount: capture.amount, dispute: capture.result.dispute };
    else if (auth?.operation !== 'authorize') outcome = { kind: 'never_sent' };
    else if (auth.result.outcome === 'declined') outcome = { kind: 'declined', code: auth.result.code, message: auth.result.message };
    else {
      const confirmed = auth.result.outcome === 'requires_action' ? await provider.lookup(ctx, processorKeys.confirm(intent.id), intent.processorRef) : null;
      if (auth.result.outcome === 'requires_action' && confirmed?.operation !== 'confirm') {
        return (await this.revert(ctx, intent.id, 'requires_action')) ? 'settled' : 'unchanged';
      }
      if (confirmed?.operation === 'confirm' && confirmed.result.outcome === 'declined') {
        outcome = { kind: 'declined', code: confirmed.result.code, message: confirmed.result.message };
      } else if (intent.captureMethod === 'manual') {
        // Authorized, and a capture (if one was asked for) never reached the processor: it can be asked again.
        outcome = { kind: 'authorized', processorRef: ref };
      } else {
        // Automatic capture that never reached the processor: capture now, under the same key.
        outcome = await this.captureNow(ctx, intent, provider, ref, intent.amount);
      }
    }
    return (await this.record(ctx, intent.id, outcome)) ? 'settled' : 'unchanged';
  }
}

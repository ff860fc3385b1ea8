import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import { sumMinor } from '../../platform/money/money';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { cardBrand, isExpired, isLuhnValid } from './card';
import type { DisputeEntity } from './entities/dispute.entity';
import type { CaptureMethod, PaymentIntentEntity } from './entities/payment-intent.entity';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { toDispute, toPaymentIntent, toTransaction } from './payments.mappers';
import {
  PaymentsRepository, type DisputeFilters, type PaymentFilters, type PaymentSort, type TransactionFilters,
} from './payments.repository';
import { PaymentTargets, type PaymentSummary, type PaymentTargetKind } from './payment-targets';
import type { CardInput, PaymentProvider } from './providers/payment-provider';
import { PaymentProviders } from './providers/payment-providers';
import { TestPaymentProvider } from './providers/test-payment-provider';

/** What creates a payment: the body of `POST /payments/intents`, or `chargeTarget`'s input. */
export interface CreateIntentInput {
  amount: number;
  currency: string;
  payment_method: 'card';
  order_id?: string;
  invoice_id?: string;
  customer_id?: string;
  capture_method?: CaptureMethod;
  card?: CardInput;
  metadata?: Record<string, string>;
}

/** `chargeSavedMethod`'s input: the customer whose default saved method pays. */
export interface ChargeSavedInput {
  customerId: string;
  amount: number;
  currency: string;
}

/** The message (and field `payment_method`) of the 422 when a customer has no saved method to charge. */
export const NO_SAVED_PAYMENT_METHOD = 'the customer has no saved payment method';

export interface ChargeTargetInput {
  amount: number;
  currency: string;
  customer_id?: string;
  payment_method: 'card';
  card?: CardInput;
  capture_method?: CaptureMethod;
}

const TARGET_FIELD: Record<PaymentTargetKind, 'order_id' | 'invoice_id'> = { order: 'order_id', invoice: 'invoice_id' };

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message }]);
}

/**
 * Payment intents, refunds, disputes and the transactions ledger. Exported to other modules:
 * `chargeTarget` and `refundTarget` (orders, billing) and the `PaymentTargets` registry through
 * which orders and invoices learn about their payments. Every money movement runs in one
 * transaction with its ledger row, its event and the target's `onPaymentChanged`.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly targets: PaymentTargets,
    private readonly providers: PaymentProviders,
    private readonly customers: CustomersService,
  ) {}

  // --- reads

  async list(
    ctx: RequestContext,
    page: PageQuery,
    sort: { sort: PaymentSort; order: SortOrder },
    filters: PaymentFilters,
  ): Promise<Page<Schemas['PaymentIntent']>> {
    const rows = await this.repo.listIntents(ctx, page, sort, filters);
    const refunds = await this.repo.refundsOf(ctx, rows.items.map((i) => i.id));
    return new Page(rows.items.map((i) => toPaymentIntent(i, refunds.get(i.id) ?? [])), rows.meta);
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['PaymentIntent']> {
    return this.present(ctx, await this.intentOr404(ctx, id));
  }

  async listDisputes(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: DisputeFilters): Promise<Page<Schemas['Dispute']>> {
    return (await this.repo.listDisputes(ctx, page, order, filters)).map(toDispute);
  }

  async listTransactions(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: TransactionFilters): Promise<Page<Schemas['Transaction']>> {
    return (await this.repo.listTransactions(ctx, page, order, filters)).map(toTransaction);
  }

  // --- writes

  /** `POST /payments/intents`. */
  async create(ctx: RequestContext, input: CreateIntentInput): Promise<Schemas['PaymentIntent']> {
    return this.createWith(ctx, input, null);
  }

  /** `create`, or (with `saved`) a charge of a saved method instead of a card. */
  private async createWith(ctx: RequestContext, input: CreateIntentInput, saved: PaymentMethodEntity | null): Promise<Schemas['PaymentIntent']> {
    if (input.order_id !== undefined && input.invoice_id !== undefined) {
      throw invalid('invoice_id', 'a payment pays either an order or an invoice, not both');
    }
    // Live mode without a processor answers 422 before anything is written.
    const provider = this.providers.for(ctx);
    if (input.card) this.assertUsableCard(ctx, input.card);
    return this.tx.run(ctx, async (txCtx) => {
      const kind: PaymentTargetKind | null = input.order_id !== undefined ? 'order' : input.invoice_id !== undefined ? 'invoice' : null;
      const targetId = kind === 'order' ? input.order_id! : kind === 'invoice' ? input.invoice_id! : null;
      let customerId = input.customer_id ?? null;
      if (kind && targetId !== null) {
        const target = this.targets.find(kind);
        if (!target) throw invalid(TARGET_FIELD[kind], `${kind}s cannot be paid through payments yet`);
        const payable = await target.assertPayable(txCtx, targetId, input.amount, input.currency);
        if (customerId && payable.customerId && customerId !== payable.customerId) {
          throw invalid('customer_id', `does not match the ${kind}'s customer`);
        }
        customerId = customerId ?? payable.customerId;
      }
      const customer = customerId ? await this.customers.getOrThrow(txCtx, customerId) : null;
      const intent = await this.repo.insertIntent(txCtx, {
        id: newId('pi'),
        amount: input.amount,
        currency: input.currency,
        status: 'requires_payment_method',
        captureMethod: input.capture_method ?? 'automatic',
        paymentMethod: 'card',
        amountCaptured: 0,
        amountRefunded: 0,
        amountDisputed: 0,
        targetKind: kind,
        targetId,
        customerId: customer?.id ?? null,
        customerEmail: customer?.email ?? null,
        accountRefId: customer?.accountRefId ?? null,
        processorRef: null,
        failureCode: null,
        failureMessage: null,
        metadata: input.metadata ?? {},
        ...(saved
          ? { cardBrand: saved.brand, cardLast4: saved.last4, cardExpMonth: saved.expMonth, cardExpYear: saved.expYear }
          : this.cardColumns(input.card)),
      });
      if (saved) await this.authorizeSaved(txCtx, intent, saved, provider);
      else if (input.card) await this.authorize(txCtx, intent, input.card, provider);
      else await this.notifyTarget(txCtx, intent.id);
      return this.present(txCtx, await this.reload(txCtx, intent.id));
    });
  }

  /** `POST /payments/{id}/confirm`: completes 3-D Secure, or attaches a card to an intent waiting for one. */
  async confirm(ctx: RequestContext, id: string, card: CardInput | undefined): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.lockOr404(txCtx, id);
      if (intent.status === 'requires_action') {
        const result = await provider.confirm(txCtx, intent.processorRef ?? '');
        if (result.outcome === 'declined') await this.fail(txCtx, intent.id, result.code, result.message);
        else await this.authorized(txCtx, intent, provider);
      } else if (intent.status === 'requires_payment_method') {
        if (!card) throw invalid('card', 'a card is required to confirm a payment that has none');
        this.assertUsableCard(txCtx, card);
        await this.repo.updateIntent(txCtx, intent.id, this.cardColumns(card));
        await this.authorize(txCtx, await this.reload(txCtx, intent.id), card, provider);
      } else {
        throw new ConflictError(`payment ${intent.id} cannot be confirmed in status ${intent.status}`, 'status');
      }
      return this.present(txCtx, await this.reload(txCtx, intent.id));
    });
  }

  /** `POST /payments/{id}/capture`: all of the authorization, or `amount` of it. */
  async capture(ctx: RequestContext, id: string, amount?: number): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.lockOr404(txCtx, id);
      if (intent.status !== 'requires_capture') {
        throw new ConflictError(`payment ${intent.id} is not awaiting capture (status ${intent.status})`, 'status');
      }
      if (amount !== undefined && amount > intent.amount) {
        throw new ConflictError(`cannot capture ${amount}: only ${intent.amount} is authorized`, 'amount');
      }
      await this.captureAuthorized(txCtx, intent, amount ?? intent.amount, provider);
      return this.present(txCtx, await this.reload(txCtx, intent.id));
    });
  }

  /** `POST /payments/{id}/refund`. */
  async refund(ctx: RequestContext, id: string, amount?: number, reason?: string): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.intentOr404(txCtx, id);
      await this.refundIntent(txCtx, intent, amount, reason ?? null, provider);
      return this.present(txCtx, await this.reload(txCtx, intent.id));
    });
  }

  /**
   * For orders and billing: charges a target through the same path as `POST /payments/intents`
   * (assertPayable, ledger, events, onPaymentChanged). Joins the caller's transaction.
   */
  async chargeTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeTargetInput): Promise<Schemas['PaymentIntent']> {
    return this.create(ctx, { ...input, [TARGET_FIELD[kind]]: targetId });
  }

  /**
   * For billing (renewals, `POST /invoices/{id}/pay` with an empty body): charges the customer's
   * default saved payment method through the provider by its reusable reference, on the same path
   * as `chargeTarget`. 422 (field `payment_method`) when the customer has none, or in live mode
   * without a provider; both are checked before anything is written. Joins the caller's transaction.
   */
  async chargeSavedMethod(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeSavedInput): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    const method = await this.repo.findDefaultMethod(ctx, input.customerId);
    if (!method || !provider.authorizeSaved) throw invalid('payment_method', NO_SAVED_PAYMENT_METHOD);
    return this.createWith(ctx, { amount: input.amount, currency: input.currency, customer_id: input.customerId, payment_method: 'card', [TARGET_FIELD[kind]]: targetId }, method);
  }

  /** The customer's default saved method (brand, last4, expiry), or null. */
  async defaultMethodOf(ctx: RequestContext, customerId: string): Promise<Pick<PaymentMethodEntity, 'id' | 'brand' | 'last4' | 'expMonth' | 'expYear'> | null> {
    return this.repo.findDefaultMethod(ctx, customerId);
  }

  /**
   * For orders (cancel) and billing (invoice refund): refunds captured-and-unrefunded money of the
   * target's payments, newest first, up to `amount` (all when absent). Disputed payments are
   * skipped. Returns the total refunded (0 when nothing was refundable). Joins the caller's transaction.
   */
  async refundTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, reason?: string, amount?: number): Promise<number> {
    return this.tx.run(ctx, async (txCtx) => {
      let left = amount ?? Number.POSITIVE_INFINITY;
      let total = 0;
      for (const intent of await this.repo.intentsOfTarget(txCtx, kind, targetId)) {
        if (left <= 0) break;
        const refundable = intent.amountCaptured - intent.amountRefunded - intent.amountDisputed;
        if (intent.status !== 'succeeded' || refundable <= 0) continue;
        if (await this.repo.hasUnwonDispute(txCtx, intent.id)) continue;
        const take = Math.min(refundable, left);
        await this.refundIntent(txCtx, intent, take, reason ?? null, this.providers.for(txCtx));
        total += take;
        left -= take;
      }
      return total;
    });
  }

  // --- disputes

  /** Evidence moves a dispute from needs_response to under_review. */
  async respondToDispute(ctx: RequestContext, id: string, evidence: Record<string, string>): Promise<Schemas['Dispute']> {
    return this.tx.run(ctx, async (txCtx) => {
      const dispute = await this.disputeOr404(txCtx, id);
      if (dispute.status !== 'needs_response') {
        throw new ConflictError(`dispute ${dispute.id} does not await a response (status ${dispute.status})`, 'status');
      }
      dispute.evidence = evidence;
      dispute.evidenceSubmittedAt = new Date();
      dispute.status = 'under_review';
      return toDispute(await this.repo.saveDispute(txCtx, dispute));
    });
  }

  /** Sandbox only: the bank's decision. Won gives the money back; lost counts it against the payment. */
  async closeDispute(ctx: RequestContext, id: string, outcome: 'won' | 'lost'): Promise<Schemas['Dispute']> {
    if (!this.providers.isSandbox(ctx)) {
      throw invalid('outcome', 'live disputes are closed by the payment processor; this route serves the sandbox');
    }
    return this.tx.run(ctx, async (txCtx) => {
      const dispute = await this.disputeOr404(txCtx, id);
      if (dispute.status === 'won' || dispute.status === 'lost') {
        throw new ConflictError(`dispute ${dispute.id} is already closed (${dispute.status})`, 'status');
      }
      const intent = await this.lockOr404(txCtx, dispute.intentId);
      dispute.status = outcome;
      const saved = await this.repo.saveDispute(txCtx, dispute);
      if (outcome === 'won') {
        await this.ledger(txCtx, intent, 'dispute_reversal', dispute.amount, { disputeId: dispute.id });
      } else {
        if (!(await this.repo.disputeLostGuarded(txCtx, intent.id, dispute.amount))) {
          throw new ConflictError(`dispute ${dispute.id} exceeds what is left of payment ${intent.id}`);
        }
        await this.notifyTarget(txCtx, intent.id);
      }
      return toDispute(saved);
    });
  }

  // --- the money path (inside a transaction)

  /** Rejects a card that cannot be charged: malformed, expired, or (sandbox) not a test card. Never echoes the number. */
  private assertUsableCard(ctx: RequestContext, card: CardInput): void {
    if (typeof card.number !== 'string' || !/^\d{12,19}$/.test(card.number) || !isLuhnValid(card.number)) {
      throw invalid('card.number', 'must be a card number of 12 to 19 digits that passes the Luhn check');
    }
    if (isExpired(card.exp_month, card.exp_year)) throw invalid('card.exp_year', 'the card has expired');
    if (this.providers.isSandbox(ctx) && !TestPaymentProvider.isTestCard(card.number)) {
      throw invalid('card.number', 'test mode takes test cards only, e.g. 4242424242424242');
    }
  }

  private cardColumns(card: CardInput | undefined) {
    if (!card) return { cardBrand: null, cardLast4: null, cardExpMonth: null, cardExpYear: null };
    return { cardBrand: cardBrand(card.number), cardLast4: card.number.slice(-4), cardExpMonth: card.exp_month, cardExpYear: card.exp_year };
  }

  private async authorize(ctx: RequestContext, intent: PaymentIntentEntity, card: CardInput, provider: PaymentProvider): Promise<void> {
    const result = await provider.authorize(ctx, { intentId: intent.id, amount: intent.amount, currency: intent.currency, card });
    await this.ledger(ctx, intent, 'charge', intent.amount, {}, 'pending');
    if (result.outcome === 'declined') {
      await this.fail(ctx, intent.id, result.code, result.message);
      return;
    }
    await this.repo.updateIntent(ctx, intent.id, { processorRef: result.processorRef });
    if (result.outcome === 'authorized') await this.saveMethodIfInvoice(ctx, intent, card, provider);
    if (result.outcome === 'requires_action') {
      await this.repo.updateIntent(ctx, intent.id, { status: 'requires_action' });
      await this.notifyTarget(ctx, intent.id);
      return;
    }
    await this.authorized(ctx, await this.reload(ctx, intent.id), provider);
  }

  /** Like `authorize`, for a saved method (no card in hand). */
  private async authorizeSaved(ctx: RequestContext, intent: PaymentIntentEntity, method: PaymentMethodEntity, provider: PaymentProvider): Promise<void> {
    const result = await provider.authorizeSaved!(ctx, { intentId: intent.id, amount: intent.amount, currency: intent.currency, methodRef: method.processorRef });
    await this.ledger(ctx, intent, 'charge', intent.amount, {}, 'pending');
    if (result.outcome === 'declined') {
      await this.fail(ctx, intent.id, result.code, result.message);
      return;
    }
    await this.repo.updateIntent(ctx, intent.id, { processorRef: result.processorRef });
    if (result.outcome === 'requires_action') {
      // An off-session charge cannot take a customer challenge: it fails like a decline.
      await this.fail(ctx, intent.id, 'authentication_required', 'The card needs the customer to authenticate the payment.');
      return;
    }
    await this.authorized(ctx, await this.reload(ctx, intent.id), provider);
  }

  /** A card that paid an invoice becomes its customer's default saved method (never the number). */
  private async saveMethodIfInvoice(ctx: RequestContext, intent: PaymentIntentEntity, card: CardInput, provider: PaymentProvider): Promise<void> {
    if (intent.targetKind !== 'invoice' || !intent.customerId || !provider.reusableRef) return;
    const ref = await provider.reusableRef(ctx, card);
    if (!ref) return;
    await this.repo.saveDefaultMethod(ctx, {
      id: newId('pm'), customerId: intent.customerId, brand: cardBrand(card.number), last4: card.number.slice(-4),
      expMonth: card.exp_month, expYear: card.exp_year, processorRef: ref,
    });
  }

  /** An authorization stands: wait for capture (manual) or capture now (automatic). */
  private async authorized(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider): Promise<void> {
    await this.repo.updateIntent(ctx, intent.id, { status: 'requires_capture' });
    if (intent.captureMethod === 'manual') {
      await this.notifyTarget(ctx, intent.id);
      return;
    }
    await this.captureAuthorized(ctx, await this.reload(ctx, intent.id), intent.amount, provider);
  }

  private async captureAuthorized(ctx: RequestContext, intent: PaymentIntentEntity, amount: number, provider: PaymentProvider): Promise<void> {
    // Claim first: a concurrent or repeated capture finds the status changed and gets 409.
    if (!(await this.repo.captureGuarded(ctx, intent.id, amount))) {
      throw new ConflictError(`payment ${intent.id} is not awaiting capture`, 'status');
    }
    const result = await provider.capture(ctx, intent.processorRef ?? '', amount, intent.currency);
    await this.repo.settleCharge(ctx, intent.id, 'completed', amount);
    const captured = await this.reload(ctx, intent.id);
    await this.events.record(ctx, 'payment.succeeded', await this.present(ctx, captured));
    if (result.dispute) await this.openDispute(ctx, captured, result.dispute.reason);
    await this.notifyTarget(ctx, intent.id);
  }

  private async fail(ctx: RequestContext, intentId: string, code: string, message: string): Promise<void> {
    await this.repo.updateIntent(ctx, intentId, { status: 'failed', failureCode: code, failureMessage: message });
    await this.repo.settleCharge(ctx, intentId, 'failed');
    await this.events.record(ctx, 'payment.failed', await this.present(ctx, await this.reload(ctx, intentId)));
    await this.notifyTarget(ctx, intentId);
  }

  private async refundIntent(
    ctx: RequestContext,
    intent: PaymentIntentEntity,
    amount: number | undefined,
    reason: string | null,
    provider: PaymentProvider,
  ): Promise<void> {
    if (intent.status !== 'succeeded') {
      throw new ConflictError(`payment ${intent.id} has no captured money to refund (status ${intent.status})`, 'status');
    }
    if (await this.repo.hasUnwonDispute(ctx, intent.id)) {
      throw new ConflictError(`payment ${intent.id} is disputed and cannot be refunded`);
    }
    const left = intent.amountCaptured - intent.amountRefunded - intent.amountDisputed;
    const refundAmount = amount ?? left;
    if (refundAmount <= 0) throw new ConflictError(`payment ${intent.id} is already fully refunded`, 'amount');
    // The guarded UPDATE decides under the row lock, so concurrent refunds never exceed the capture.
    if (!(await this.repo.refundGuarded(ctx, intent.id, refundAmount))) {
      const now = await this.reload(ctx, intent.id);
      const remaining = now.amountCaptured - now.amountRefunded - now.amountDisputed;
      throw new ConflictError(`cannot refund ${refundAmount}: only ${remaining} of payment ${intent.id} is left to refund`, 'amount');
    }
    await provider.refund(ctx, intent.processorRef ?? '', refundAmount, intent.currency);
    const refund = await this.repo.insertRefund(ctx, { id: newId('re'), intentId: intent.id, amount: refundAmount, currency: intent.currency, reason });
    await this.ledger(ctx, intent, 'refund', -refundAmount, { refundId: refund.id });
    await this.events.record(ctx, 'payment.refunded', await this.present(ctx, await this.reload(ctx, intent.id)));
    await this.notifyTarget(ctx, intent.id);
  }

  private async openDispute(ctx: RequestContext, intent: PaymentIntentEntity, reason: string): Promise<void> {
    const dispute = await this.repo.insertDispute(ctx, {
      id: newId('dp'), intentId: intent.id, amount: intent.amountCaptured, currency: intent.currency, reason,
    });
    await this.ledger(ctx, intent, 'dispute', -dispute.amount, { disputeId: dispute.id });
  }

  private async ledger(
    ctx: RequestContext,
    intent: PaymentIntentEntity,
    type: 'charge' | 'refund' | 'dispute' | 'dispute_reversal',
    amount: number,
    refs: { refundId?: string; disputeId?: string },
    status: 'pending' | 'completed' = 'completed',
  ): Promise<void> {
    await this.repo.insertTransaction(ctx, {
      id: newId('txn'), type, status, amount, currency: intent.currency, intentId: intent.id,
      customerId: intent.customerId, customerEmail: intent.customerEmail, accountRefId: intent.accountRefId, ...refs,
    });
  }

  /** After every change of an intent with a target: its summary over all its payments, in the same transaction. */
  private async notifyTarget(ctx: RequestContext, intentId: string): Promise<void> {
    const intent = await this.reload(ctx, intentId);
    if (!intent.targetKind || !intent.targetId) return;
    const target = this.targets.find(intent.targetKind);
    if (!target) return;
    await target.onPaymentChanged(ctx, intent.targetId, await this.summaryOf(ctx, intent.targetKind, intent.targetId));
  }

  async summaryOf(ctx: RequestContext, kind: PaymentTargetKind, targetId: string): Promise<PaymentSummary> {
    const intents = await this.repo.intentsOfTarget(ctx, kind, targetId);
    const attempted = intents.find((i) => ['succeeded', 'failed', 'requires_action', 'requires_capture'].includes(i.status));
    return {
      currency: intents[0]?.currency ?? '',
      captured: sumMinor(intents.map((i) => i.amountCaptured)),
      refunded: sumMinor(intents.flatMap((i) => [i.amountRefunded, i.amountDisputed])),
      authorized: sumMinor(intents.filter((i) => i.status === 'requires_capture').map((i) => i.amount)),
      lastAttempt: (attempted?.status ?? null) as PaymentSummary['lastAttempt'],
    };
  }

  // --- helpers

  private async present(ctx: RequestContext, intent: PaymentIntentEntity): Promise<Schemas['PaymentIntent']> {
    return toPaymentIntent(intent, (await this.repo.refundsOf(ctx, [intent.id])).get(intent.id) ?? []);
  }

  private async reload(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.findIntent(ctx, id);
    if (!intent) throw new Error(`payment intent ${id} vanished inside its transaction`);
    return intent;
  }

  private async intentOr404(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.findIntent(ctx, parseIdOr404(id, 'pi', 'payment'));
    if (!intent) throw new NotFoundError('payment', id);
    return intent;
  }

  private async lockOr404(ctx: RequestContext, id: string): Promise<PaymentIntentEntity> {
    const intent = await this.repo.lockIntent(ctx, parseIdOr404(id, 'pi', 'payment'));
    if (!intent) throw new NotFoundError('payment', id);
    return intent;
  }

  private async disputeOr404(ctx: RequestContext, id: string): Promise<DisputeEntity> {
    const dispute = await this.repo.lockDispute(ctx, parseIdOr404(id, 'dp', 'dispute'));
    if (!dispute) throw new NotFoundError('dispute', id);
    return dispute;
  }
}


import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, ValidationError } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { cardBrand, isExpired, isLuhnValid } from './card';
import type { CaptureMethod, PaymentIntentEntity } from './entities/payment-intent.entity';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentTargets, type PaymentTargetKind } from './payment-targets';
import { toPaymentIntent } from './payments.mappers';
import { PaymentsRepository, type PaymentFilters, type PaymentSort } from './payments.repository';
import type { CardInput, PaymentProvider } from './providers/payment-provider';
import { PaymentProviders } from './providers/payment-providers';
import { TestPaymentProvider } from './providers/test-payment-provider';
import { NO_SAVED_PAYMENT_METHOD, SavedPaymentMethodsService } from './saved-payment-methods.service';

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
 * The charge path: creating an intent (with a card, a saved method, or neither yet), 3-D Secure
 * confirmation, authorization and capture. Every step runs in one transaction with its ledger row,
 * its event and the target's `onPaymentChanged`.
 */
@Injectable()
export class PaymentIntentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly targets: PaymentTargets,
    private readonly providers: PaymentProviders,
    private readonly customers: CustomersService,
    private readonly ledger: PaymentLedgerService,
    private readonly savedMethods: SavedPaymentMethodsService,
    private readonly disputes: PaymentDisputesService,
  ) {}

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
    return this.ledger.present(ctx, await this.ledger.intentOr404(ctx, id));
  }

  /** `POST /payments/intents`. */
  async create(ctx: RequestContext, input: CreateIntentInput): Promise<Schemas['PaymentIntent']> {
    return this.createWith(ctx, input, null);
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
    const method = await this.savedMethods.findDefault(ctx, input.customerId);
    if (!method || !provider.authorizeSaved) throw invalid('payment_method', NO_SAVED_PAYMENT_METHOD);
    return this.createWith(ctx, { amount: input.amount, currency: input.currency, customer_id: input.customerId, payment_method: 'card', [TARGET_FIELD[kind]]: targetId }, method);
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
      else await this.ledger.notifyTarget(txCtx, intent.id);
      return this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id));
    });
  }

  /** `POST /payments/{id}/confirm`: completes 3-D Secure, or attaches a card to an intent waiting for one. */
  async confirm(ctx: RequestContext, id: string, card: CardInput | undefined): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.ledger.lockOr404(txCtx, id);
      if (intent.status === 'requires_action') {
        const result = await provider.confirm(txCtx, intent.processorRef ?? '');
        if (result.outcome === 'declined') await this.fail(txCtx, intent.id, result.code, result.message);
        else await this.authorized(txCtx, intent, provider);
      } else if (intent.status === 'requires_payment_method') {
        if (!card) throw invalid('card', 'a card is required to confirm a payment that has none');
        this.assertUsableCard(txCtx, card);
        await this.repo.updateIntent(txCtx, intent.id, this.cardColumns(card));
        await this.authorize(txCtx, await this.ledger.reload(txCtx, intent.id), card, provider);
      } else {
        throw new ConflictError(`payment ${intent.id} cannot be confirmed in status ${intent.status}`, 'status');
      }
      return this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id));
    });
  }

  /** `POST /payments/{id}/capture`: all of the authorization, or `amount` of it. */
  async capture(ctx: RequestContext, id: string, amount?: number): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    return this.tx.run(ctx, async (txCtx) => {
      const intent = await this.ledger.lockOr404(txCtx, id);
      if (intent.status !== 'requires_capture') {
        throw new ConflictError(`payment ${intent.id} is not awaiting capture (status ${intent.status})`, 'status');
      }
      if (amount !== undefined && amount > intent.amount) {
        throw new ConflictError(`cannot capture ${amount}: only ${intent.amount} is authorized`, 'amount');
      }
      await this.captureAuthorized(txCtx, intent, amount ?? intent.amount, provider);
      return this.ledger.present(txCtx, await this.ledger.reload(txCtx, intent.id));
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
    await this.ledger.record(ctx, intent, 'charge', intent.amount, {}, 'pending');
    if (result.outcome === 'declined') {
      await this.fail(ctx, intent.id, result.code, result.message);
      return;
    }
    await this.repo.updateIntent(ctx, intent.id, { processorRef: result.processorRef });
    if (result.outcome === 'authorized') await this.savedMethods.saveIfInvoice(ctx, intent, card, provider);
    if (result.outcome === 'requires_action') {
      await this.repo.updateIntent(ctx, intent.id, { status: 'requires_action' });
      await this.ledger.notifyTarget(ctx, intent.id);
      return;
    }
    await this.authorized(ctx, await this.ledger.reload(ctx, intent.id), provider);
  }

  /** Like `authorize`, for a saved method (no card in hand). */
  private async authorizeSaved(ctx: RequestContext, intent: PaymentIntentEntity, method: PaymentMethodEntity, provider: PaymentProvider): Promise<void> {
    const result = await provider.authorizeSaved!(ctx, { intentId: intent.id, amount: intent.amount, currency: intent.currency, methodRef: method.processorRef });
    await this.ledger.record(ctx, intent, 'charge', intent.amount, {}, 'pending');
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
    await this.authorized(ctx, await this.ledger.reload(ctx, intent.id), provider);
  }

  /** An authorization stands: wait for capture (manual) or capture now (automatic). */
  private async authorized(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider): Promise<void> {
    await this.repo.updateIntent(ctx, intent.id, { status: 'requires_capture' });
    if (intent.captureMethod === 'manual') {
      await this.ledger.notifyTarget(ctx, intent.id);
      return;
    }
    await this.captureAuthorized(ctx, await this.ledger.reload(ctx, intent.id), intent.amount, provider);
  }

  private async captureAuthorized(ctx: RequestContext, intent: PaymentIntentEntity, amount: number, provider: PaymentProvider): Promise<void> {
    // Claim first: a concurrent or repeated capture finds the status changed and gets 409.
    if (!(await this.repo.captureGuarded(ctx, intent.id, amount))) {
      throw new ConflictError(`payment ${intent.id} is not awaiting capture`, 'status');
    }
    const result = await provider.capture(ctx, intent.processorRef ?? '', amount, intent.currency);
    await this.repo.settleCharge(ctx, intent.id, 'completed', amount);
    const captured = await this.ledger.reload(ctx, intent.id);
    await this.events.record(ctx, 'payment.succeeded', await this.ledger.present(ctx, captured));
    if (result.dispute) await this.disputes.open(ctx, captured, result.dispute.reason);
    await this.ledger.notifyTarget(ctx, intent.id);
  }

  private async fail(ctx: RequestContext, intentId: string, code: string, message: string): Promise<void> {
    await this.repo.updateIntent(ctx, intentId, { status: 'failed', failureCode: code, failureMessage: message });
    await this.repo.settleCharge(ctx, intentId, 'failed');
    await this.events.record(ctx, 'payment.failed', await this.ledger.present(ctx, await this.ledger.reload(ctx, intentId)));
    await this.ledger.notifyTarget(ctx, intentId);
  }
}

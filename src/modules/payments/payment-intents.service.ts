import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, invalid } from '../../platform/errors/domain-errors';
import { newId } from '../../platform/ids/ids';
import { assertMinimumCharge } from '../../platform/money/minimum-charge';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { CustomersService } from '../customers/customers.service';
import { cardBrand, isExpired, isLuhnValid } from './card';
import type { CaptureMethod, PaymentIntentEntity } from './entities/payment-intent.entity';
import type { PaymentMethodEntity } from './entities/payment-method.entity';
import { PaymentLedgerService } from './payment-ledger.service';
import { assertOutsideTransaction, PaymentProcessingService, type CardToSave, type ChargeSource } from './payment-processing.service';
import { PaymentTargets } from './payment-targets';
import type { PaymentTargetKind } from './payment-targets.port';
import { NoSavedPaymentMethodError } from './payments.errors';
import { toPaymentIntent } from './payments.mappers';
import { PaymentsRepository, type PaymentFilters, type PaymentSort } from './payments.repository';
import type { CardInput, PaymentProvider } from './providers/payment-provider.port';
import { PaymentProviders } from './providers/payment-providers';
import { TEST_PAYMENT_METHODS, TestPaymentProvider } from './providers/test-payment-provider';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

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
  /** Live mode: a Stripe payment method id (`pm_…`) created in the payer's browser, instead of a card. */
  payment_method_id?: string;
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
  payment_method_id?: string;
  capture_method?: CaptureMethod;
}

const TARGET_FIELD: Record<PaymentTargetKind, 'order_id' | 'invoice_id'> = { order: 'order_id', invoice: 'invoice_id' };

/** The 422 of a raw card number in live mode: what to send instead. */
export const RAW_CARD_IN_LIVE_MODE =
  'live mode never takes a card number: send payment_method_id (a Stripe payment method id, pm_…, created in the browser by Stripe.js or Checkout) or leave the card out to charge the customer\'s saved payment method';

/** What pays, once `payment_method_id` is understood: a card, or a processor-side method. */
interface PayingMethod {
  card?: CardInput;
  paymentMethodId?: string;
}

/**
 * A processor that takes payment method ids (Stripe, live) gets the id as sent. The sandbox takes
 * Stripe's test payment methods as the test card each stands for (`pm_card_visa` pays like
 * 4242424242424242), so the card's outcome, brand and saving apply; any other id → 422.
 */
function payingMethod(provider: PaymentProvider, card: CardInput | undefined, paymentMethodId: string | undefined): PayingMethod {
  if (paymentMethodId === undefined) return { card };
  if (card) throw invalid('payment_method_id', 'send either card or payment_method_id, not both');
  if (provider.authorizeMethod) return { paymentMethodId };
  if (!(provider instanceof TestPaymentProvider)) throw invalid('payment_method_id', `the ${provider.name} payment provider takes no payment_method_id`);
  const testCard = TestPaymentProvider.testCardOf(paymentMethodId);
  if (!testCard) {
    throw invalid(
      'payment_method_id',
      `test mode takes Stripe's test payment methods (${Object.keys(TEST_PAYMENT_METHODS).join(', ')}) or test cards (card.number, e.g. 4242424242424242)`,
    );
  }
  return { card: testCard };
}

/** A processor-side method that pays an invoice of a known customer is kept for its renewals. */
function keepsMethod(intent: PaymentIntentEntity): boolean {
  return intent.targetKind === 'invoice' && intent.customerId !== null;
}

/**
 * The charge path: creating an intent (with a card, a saved method, or neither yet), 3-D Secure
 * confirmation, authorization and capture. Each runs as record → commit → processor call (outside
 * any transaction) → record (PaymentProcessingService). The first transaction locks the target
 * (invoice or order) and counts what its payments already hold, so a target is never paid beyond
 * its total, however many requests race; the loser gets 409 before anything reaches the processor.
 */
@Injectable()
export class PaymentIntentsService {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly tx: TransactionService,
    private readonly targets: PaymentTargets,
    private readonly providers: PaymentProviders,
    private readonly customers: CustomersService,
    private readonly ledger: PaymentLedgerService,
    private readonly savedMethods: SavedPaymentMethodsService,
    private readonly processing: PaymentProcessingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  /**
   * `POST /payments/intents`. An amount below the currency's minimum charge is refused (422
   * `amount_too_small`) before anything is written: the usual sign of a decimal read as minor units.
   */
  async create(ctx: RequestContext, input: CreateIntentInput): Promise<Schemas['PaymentIntent']> {
    assertMinimumCharge(input.amount, input.currency, this.config.MINIMUM_CHARGE_MINOR_UNITS);
    return this.createWith(ctx, input, null);
  }

  /**
   * For orders and billing: charges a target through the same path as `POST /payments/intents`
   * (owed check, ledger, events, onPaymentChanged). Must be called outside any transaction: it
   * commits its own, around the processor call.
   */
  async chargeTarget(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeTargetInput): Promise<Schemas['PaymentIntent']> {
    // No minimum-charge check: the amount is what the order or invoice owes, not a number a client typed.
    return this.createWith(ctx, { ...input, [TARGET_FIELD[kind]]: targetId }, null);
  }

  /**
   * For billing (renewals, `POST /invoices/{id}/pay` with an empty body): charges the customer's
   * default saved payment method through the provider by its reusable reference, on the same path
   * as `chargeTarget`. 422 (field `payment_method`) when the customer has none
   * (NoSavedPaymentMethodError), or in live mode without a provider (PaymentProviderUnavailableError);
   * both are checked before anything is written. Outside any transaction.
   */
  async chargeSavedMethod(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, input: ChargeSavedInput): Promise<Schemas['PaymentIntent']> {
    const provider = this.providers.for(ctx);
    const method = await this.savedMethods.findDefault(ctx, input.customerId);
    if (!method || !provider.authorizeSaved) throw new NoSavedPaymentMethodError();
    return this.createWith(ctx, { amount: input.amount, currency: input.currency, customer_id: input.customerId, payment_method: 'card', [TARGET_FIELD[kind]]: targetId }, method);
  }

  /**
   * `create`, or (with `saved`) a charge of a saved method instead of a card. Step 1 (one
   * transaction): lock the target, count what it still owes, insert the intent — `processing` with
   * a pending ledger row when there is something to charge — and commit. Then the processor is
   * called outside any transaction and its answer recorded (PaymentProcessingService).
   */
  private async createWith(ctx: RequestContext, input: CreateIntentInput, saved: PaymentMethodEntity | null): Promise<Schemas['PaymentIntent']> {
    assertOutsideTransaction(ctx, 'creating a payment');
    if (input.order_id !== undefined && input.invoice_id !== undefined) {
      throw invalid('invoice_id', 'a payment pays either an order or an invoice, not both');
    }
    // Live mode without a processor answers 422 before anything is written.
    const provider = this.providers.for(ctx);
    const paying = payingMethod(provider, input.card, input.payment_method_id);
    input = { ...input, card: paying.card, payment_method_id: paying.paymentMethodId };
    if (input.card) this.assertUsableCard(ctx, input.card);
    const charging = saved !== null || input.card !== undefined || input.payment_method_id !== undefined;
    const intent = await this.tx.run(ctx, async (txCtx) => {
      const kind: PaymentTargetKind | null = input.order_id !== undefined ? 'order' : input.invoice_id !== undefined ? 'invoice' : null;
      const targetId = kind === 'order' ? input.order_id! : kind === 'invoice' ? input.invoice_id! : null;
      let customerId = input.customer_id ?? null;
      if (kind && targetId !== null) {
        const payable = await this.lockOwed(txCtx, kind, targetId, input.amount, input.currency, null);
        if (customerId && payable.customerId && customerId !== payable.customerId) {
          throw invalid('customer_id', `does not match the ${kind}'s customer`);
        }
        customerId = customerId ?? payable.customerId;
      }
      const customer = customerId ? await this.customers.getOrThrow(txCtx, customerId) : null;
      const inserted = await this.repo.insertIntent(txCtx, {
        id: newId('pi'),
        amount: input.amount,
        currency: input.currency,
        status: charging ? 'processing' : 'requires_payment_method',
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
      if (charging) await this.ledger.record(txCtx, inserted, 'charge', inserted.amount, {}, 'pending');
      await this.ledger.notifyTarget(txCtx, inserted.id);
      return inserted;
    });
    if (saved) await this.charge(ctx, intent, provider, { methodRef: saved.processorRef });
    else if (input.card) await this.charge(ctx, intent, provider, { card: input.card });
    else if (input.payment_method_id) {
      await this.charge(ctx, intent, provider, { paymentMethodId: input.payment_method_id, keepFor: keepsMethod(intent) ? intent.customerId : null });
    }
    return this.get(ctx, intent.id);
  }

  /** Steps 2 and 3 of an authorization (the intent is `processing` and committed). */
  private async charge(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, source: ChargeSource): Promise<void> {
    const outcome = await this.processing.authorize(ctx, intent, provider, source);
    if (!outcome) return;
    const paid = outcome.kind === 'authorized' || outcome.kind === 'captured';
    let save: CardToSave | undefined;
    if (paid && 'card' in source) save = { card: source.card, ref: await this.savedMethods.reusableRefFor(ctx, intent, source.card, provider).catch(() => null) };
    if (paid && 'paymentMethodId' in source && source.keepFor) save = await this.keptMethod(ctx, intent, provider, outcome.processorRef);
    await this.processing.record(ctx, intent.id, outcome, save);
  }

  /** The processor-side method that just paid an invoice of a known customer, as the processor kept it for renewals. */
  private async keptMethod(ctx: RequestContext, intent: PaymentIntentEntity, provider: PaymentProvider, processorRef: string): Promise<CardToSave | undefined> {
    if (!keepsMethod(intent) || !provider.reusableMethod) return undefined;
    const method = await provider.reusableMethod(ctx, processorRef).catch(() => null);
    return method ? { method } : undefined;
  }

  /** `POST /payments/{id}/confirm`: completes 3-D Secure, or attaches a card to an intent waiting for one. */
  async confirm(ctx: RequestContext, id: string, cardInput: CardInput | undefined, paymentMethodInput?: string): Promise<Schemas['PaymentIntent']> {
    assertOutsideTransaction(ctx, 'confirming a payment');
    const provider = this.providers.for(ctx);
    const { card, paymentMethodId } = payingMethod(provider, cardInput, paymentMethodInput);
    const intent = await this.tx.run(ctx, async (txCtx) => {
      const current = await this.lockWithTarget(txCtx, id, true);
      if (current.status === 'requires_action') {
        await this.repo.moveStatus(txCtx, current.id, ['requires_action'], 'processing');
      } else if (current.status === 'requires_payment_method') {
        if (!card && !paymentMethodId) throw invalid('card', 'a card (test mode) or payment_method_id (live mode) is required to confirm a payment that has none');
        if (card) this.assertUsableCard(txCtx, card);
        await this.repo.updateIntent(txCtx, current.id, { ...this.cardColumns(card), status: 'processing' });
        await this.ledger.record(txCtx, current, 'charge', current.amount, {}, 'pending');
      } else {
        throw new ConflictError(`payment ${current.id} cannot be confirmed in status ${current.status}`, 'status');
      }
      await this.ledger.notifyTarget(txCtx, current.id);
      return this.ledger.reload(txCtx, current.id);
    });
    if (intent.processorRef) {
      const outcome = await this.processing.confirm(ctx, intent, provider);
      const paid = outcome?.kind === 'authorized' || outcome?.kind === 'captured';
      const save = paid ? await this.keptMethod(ctx, intent, provider, intent.processorRef) : undefined;
      if (outcome) await this.processing.record(ctx, intent.id, outcome, save);
    } else if (paymentMethodId) {
      await this.charge(ctx, intent, provider, { paymentMethodId, keepFor: keepsMethod(intent) ? intent.customerId : null });
    } else {
      await this.charge(ctx, intent, provider, { card: card! });
    }
    return this.get(ctx, intent.id);
  }

  /** `POST /payments/{id}/capture`: all of the authorization, or `amount` of it; the target is checked again (void, cancelled → 409). */
  async capture(ctx: RequestContext, id: string, amount?: number): Promise<Schemas['PaymentIntent']> {
    assertOutsideTransaction(ctx, 'capturing a payment');
    const provider = this.providers.for(ctx);
    const intent = await this.tx.run(ctx, async (txCtx) => {
      // The authorization already counts against the target: only whether it can still be paid is checked.
      const current = await this.lockWithTarget(txCtx, id, false);
      if (current.status !== 'requires_capture') {
        throw new ConflictError(`payment ${current.id} is not awaiting capture (status ${current.status})`, 'status');
      }
      if (amount !== undefined && amount > current.amount) {
        throw new ConflictError(`cannot capture ${amount}: only ${current.amount} is authorized`, 'amount');
      }
      // Claim first: a concurrent or repeated capture finds the status changed and gets 409.
      if (!(await this.repo.moveStatus(txCtx, current.id, ['requires_capture'], 'processing'))) {
        throw new ConflictError(`payment ${current.id} is not awaiting capture`, 'status');
      }
      await this.ledger.notifyTarget(txCtx, current.id);
      return current;
    });
    const outcome = await this.processing.capture(ctx, intent, provider, amount ?? intent.amount);
    if (outcome) await this.processing.record(ctx, intent.id, outcome);
    return this.get(ctx, intent.id);
  }

  // --- step 1 helpers (inside the first transaction)

  /**
   * Locks the target and checks that `amount` fits in what it still owes: its total minus what its
   * other payments hold (captured, authorized, processing). 409 when it does not, or when the target
   * cannot be paid now.
   */
  private async lockOwed(ctx: RequestContext, kind: PaymentTargetKind, targetId: string, amount: number, currency: string, except: string | null) {
    const target = this.targets.find(kind);
    if (!target) throw invalid(TARGET_FIELD[kind], `${kind}s cannot be paid through payments yet`);
    const payable = await target.lockPayable(ctx, targetId, currency);
    const left = payable.total - (await this.repo.committedToTarget(ctx, kind, targetId, except));
    if (amount > left) {
      throw new ConflictError(
        `${payable.label} has ${Math.max(0, left)} ${currency} left to pay (payments captured, authorized or in progress count); ${amount} is more than that`,
        'amount',
      );
    }
    return payable;
  }

  /**
   * Locks an intent the way every money step does: its target first, then the intent. A target of
   * an intent still waiting for money is checked again (void, cancelled → 409) and, with
   * `countOwed`, the intent's amount is counted against what it still owes.
   */
  private async lockWithTarget(ctx: RequestContext, id: string, countOwed: boolean): Promise<PaymentIntentEntity> {
    const peek = await this.ledger.intentOr404(ctx, id);
    const waiting = ['requires_payment_method', 'requires_action', 'requires_capture'].includes(peek.status);
    if (peek.targetKind && peek.targetId && waiting) {
      if (countOwed) await this.lockOwed(ctx, peek.targetKind, peek.targetId, peek.amount, peek.currency, peek.id);
      else await this.targets.get(peek.targetKind).lockPayable(ctx, peek.targetId, peek.currency);
    } else {
      await this.ledger.lockTargetOf(ctx, peek);
    }
    return this.ledger.lockOr404(ctx, id);
  }

  // --- cards

  /** Rejects a card that cannot be charged: malformed, expired, or (sandbox) not a test card. Never echoes the number. */
  private assertUsableCard(ctx: RequestContext, card: CardInput): void {
    if (!this.providers.isSandbox(ctx)) throw invalid('card', RAW_CARD_IN_LIVE_MODE);
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
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import type { RequestContext } from '../../../platform/context/request-context';
import {
  processorKeys, type AuthorizeRequest, type AuthorizeResult, type AuthorizeSavedRequest, type CaptureResult, type CardInput, type ConfirmResult,
  type PaymentProvider, type ProcessorRecord,
} from './payment-provider.port';
import { SandboxProcessorRepository } from './sandbox-processor.repository';

/**
 * What a sandbox card does (seed 004's test cards, plus the dispute card, the usual network test
 * cards and Stripe's 4000000000000341, which lets a card be saved that later renewals cannot charge).
 */
type TestCardBehaviour = 'succeeds' | 'declined' | 'insufficient_funds' | 'three_d_secure' | 'dispute' | 'declines_off_session';

export const TEST_CARDS: Readonly<Record<string, TestCardBehaviour>> = {
  '4242424242424242': 'succeeds',
  '5555555555554444': 'succeeds',
  '378282246310005': 'succeeds',
  '6011111111111117': 'succeeds',
  '4000000000000002': 'declined',
  '4000000000009995': 'insufficient_funds',
  '4000002760003184': 'three_d_secure',
  '4000000000000259': 'dispute',
  // Succeeds when presented (so paying an invoice with it saves it), declines every later saved-card charge.
  '4000000000000341': 'declines_off_session',
};

/**
 * Stripe's test payment methods (https://docs.stripe.com/testing) and the sandbox test card each
 * stands for: test mode takes them in `payment_method_id` with that card's outcome, so code written
 * for Stripe.js runs against the sandbox unchanged.
 */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_amex: '378282246310005',
  pm_card_discover: '6011111111111117',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_threeDSecure2Required: '4000002760003184',
  pm_card_createDispute: '4000000000000259',
  pm_card_chargeCustomerFail: '4000000000000341',
};

const REF_PREFIX = 'sandbox_';
/** Reusable references of saved sandbox cards: `test:<behaviour>` — the behaviour only, never the number. */
const SAVED_PREFIX = 'test:';
const BEHAVIOURS: readonly TestCardBehaviour[] = ['succeeds', 'declined', 'insufficient_funds', 'three_d_secure', 'dispute', 'declines_off_session'];

/**
 * The built-in provider of test mode: no network, behaviour chosen by the card number. The
 * behaviour that matters after authorization (a dispute on capture) travels in the processor
 * reference, since the card number is never kept. Like a real processor it remembers every call
 * by its idempotency key (in PostgreSQL, outside the API's transactions): a repeated key gets the
 * first answer and moves no money again, and `lookup` tells the reconciliation job what happened.
 * `SANDBOX_PROVIDER_FAULT` (tests only) makes it fail or hang right after it captured or refunded.
 */
@Injectable()
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox';
  private readonly logger = new Logger('SandboxProcessor');

  constructor(
    private readonly calls: SandboxProcessorRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static isTestCard(number: string): boolean {
    return TEST_CARDS[number] !== undefined;
  }

  /** The test card a Stripe test payment method stands for (valid through December three years on), or null. */
  static testCardOf(paymentMethodId: string, now = new Date()): CardInput | null {
    const number = Object.hasOwn(TEST_PAYMENT_METHODS, paymentMethodId) ? TEST_PAYMENT_METHODS[paymentMethodId] : undefined;
    if (!number) return null;
    return { number, exp_month: 12, exp_year: now.getUTCFullYear() + 3, cvc: number.length === 15 ? '1234' : '123' };
  }

  async authorize(ctx: RequestContext, request: AuthorizeRequest): Promise<AuthorizeResult> {
    const result = TestPaymentProvider.outcome(TEST_CARDS[request.card.number], 'on_session');
    return this.authorizeOnce(ctx, request.intentId, result);
  }

  /** `test:<behaviour>` of a test card (what it will do when charged again), never its number. */
  async reusableRef(_ctx: RequestContext, card: CardInput): Promise<string | null> {
    const behaviour = TEST_CARDS[card.number];
    return behaviour ? `${SAVED_PREFIX}${behaviour}` : null;
  }

  /** Charges a saved sandbox card: it behaves as the test card it was saved from. */
  async authorizeSaved(ctx: RequestContext, request: AuthorizeSavedRequest): Promise<AuthorizeResult> {
    const tag = request.methodRef.startsWith(SAVED_PREFIX) ? request.methodRef.slice(SAVED_PREFIX.length) : '';
    return this.authorizeOnce(ctx, request.intentId, TestPaymentProvider.outcome(BEHAVIOURS.find((b) => b === tag), 'off_session'));
  }

  private async authorizeOnce(ctx: RequestContext, intentId: string, result: AuthorizeResult): Promise<AuthorizeResult> {
    const stored = await this.calls.remember(ctx, processorKeys.authorize(intentId), { operation: 'authorize', result });
    if (stored.operation !== 'authorize') throw new Error(`sandbox processor: key ${intentId} was used for a ${stored.operation}`);
    return stored.result;
  }

  private static outcome(behaviour: TestCardBehaviour | undefined, session: 'on_session' | 'off_session'): AuthorizeResult {
    const ref = (tag: string) => `${REF_PREFIX}${tag}_${randomUUID()}`;
    switch (behaviour) {
      case 'succeeds':
        return { outcome: 'authorized', processorRef: ref('ok') };
      case 'declines_off_session':
        return session === 'on_session'
          ? { outcome: 'authorized', processorRef: ref('ok') }
          : { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' };
      case 'dispute':
        return { outcome: 'authorized', processorRef: ref('dispute') };
      case 'three_d_secure':
        return { outcome: 'requires_action', processorRef: ref('3ds') };
      case 'insufficient_funds':
        return { outcome: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.' };
      case 'declined':
        return { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' };
      default:
        // The service refuses unknown numbers in test mode before calling; this is a safety net.
        return { outcome: 'declined', code: 'card_declined', message: 'Use a test card in sandbox mode.' };
    }
  }

  /** The sandbox's 3-D Secure challenge always passes. */
  async confirm(ctx: RequestContext, idempotencyKey: string): Promise<ConfirmResult> {
    const stored = await this.calls.remember(ctx, idempotencyKey, { operation: 'confirm', result: { outcome: 'authorized' } });
    return stored.operation === 'confirm' ? stored.result : { outcome: 'authorized' };
  }

  async capture(ctx: RequestContext, idempotencyKey: string, processorRef: string, amount: number): Promise<CaptureResult> {
    const result: CaptureResult = processorRef.startsWith(`${REF_PREFIX}dispute_`) ? { dispute: { reason: 'fraudulent' } } : {};
    const stored = await this.calls.remember(ctx, idempotencyKey, { operation: 'capture', amount, result });
    await this.faultAfter('charge');
    return stored.operation === 'capture' ? stored.result : result;
  }

  /** Sandbox refunds always succeed (once per key). */
  async refund(ctx: RequestContext, idempotencyKey: string, _processorRef: string, amount: number): Promise<void> {
    await this.calls.remember(ctx, idempotencyKey, { operation: 'refund', amount });
    await this.faultAfter('refund');
  }

  lookup(ctx: RequestContext, idempotencyKey: string): Promise<ProcessorRecord | null> {
    return this.calls.find(ctx, idempotencyKey);
  }

  /** The test switch: the money has moved, and the answer is lost (fail) or never comes (hang). */
  private async faultAfter(step: 'charge' | 'refund'): Promise<void> {
    const fault = this.config.SANDBOX_PROVIDER_FAULT;
    if (fault === `fail_after_${step}`) throw new Error(`sandbox processor failed after the ${step} (SANDBOX_PROVIDER_FAULT)`);
    if (fault === `hang_after_${step}`) {
      this.logger.warn(`sandbox processor hangs after the ${step} (SANDBOX_PROVIDER_FAULT)`);
      await new Promise<never>(() => undefined);
    }
  }
}

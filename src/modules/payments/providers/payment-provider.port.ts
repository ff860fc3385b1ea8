import type { RequestContext } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';

/** Card details as the client sent them (the spec's `CardInput`). Held in memory for the provider call only; never stored or logged. */
export type CardInput = Schemas['CardInput'];

export interface AuthorizeRequest {
  /** The payment intent's id: also the processor-side idempotency key of the authorization. */
  intentId: string;
  amount: number;
  currency: string;
  card: CardInput;
}

/**
 * An on-session charge of a processor-side payment method the payer's browser created (Stripe.js:
 * a `pm_…` id), so no card number ever reaches our servers. `customerId` is set when the method may
 * be kept for later off-session charges (it pays an invoice of a known customer).
 */
export interface AuthorizeMethodRequest {
  intentId: string;
  amount: number;
  currency: string;
  paymentMethodId: string;
  customerId: string | null;
}

/** A payment method kept at the processor for off-session charges, and what people see of it. */
export interface ReusableMethod {
  ref: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
}

export type AuthorizeResult =
  | { outcome: 'authorized'; processorRef: string }
  | { outcome: 'requires_action'; processorRef: string }
  | { outcome: 'declined'; code: string; message: string };

/** A charge of a saved payment method (`PaymentProvider.reusableRef`'s reference), without the card. */
export interface AuthorizeSavedRequest {
  intentId: string;
  amount: number;
  currency: string;
  methodRef: string;
}

export type ConfirmResult =
  | { outcome: 'authorized' }
  | { outcome: 'declined'; code: string; message: string }
  /** The payer has not completed the challenge yet (a processor where it happens in the browser). */
  | { outcome: 'requires_action' };

export interface CaptureResult {
  /** Set when the processor reports a chargeback for this charge (the sandbox's dispute card). */
  dispute?: { reason: string };
}

/**
 * What the processor remembers about one idempotency key: the answer it gave (or would give
 * again). `amount` is set for captures and refunds.
 */
export type ProcessorRecord =
  | { operation: 'authorize'; result: AuthorizeResult }
  | { operation: 'confirm'; result: ConfirmResult }
  | { operation: 'capture'; amount: number; result: CaptureResult }
  | { operation: 'refund'; amount: number };

/**
 * Processor-side idempotency keys, derived from our own ids so that a restart reuses them:
 * the intent id for its authorization, suffixed for the 3-D Secure confirmation and the capture,
 * the refund id for a refund.
 */
export const processorKeys = {
  authorize: (intentId: string) => intentId,
  confirm: (intentId: string) => `${intentId}:confirm`,
  capture: (intentId: string) => `${intentId}:capture`,
  refund: (refundId: string) => refundId,
};

/**
 * A card processor. The sandbox provider serves test mode; a live adapter (Stripe, Adyen, …)
 * implements the same interface and is selected by `PAYMENT_PROVIDER`. It is only ever called
 * OUTSIDE a database transaction, with an idempotency key from `processorKeys`: a repeated call
 * with the same key must not move money twice, and `lookup` must answer what a key did, so the
 * reconciliation job can settle a payment whose outcome a crash left unrecorded.
 */
export interface PaymentProvider {
  readonly name: string;
  authorize(ctx: RequestContext, request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Completes a pending customer action (3-D Secure) on an authorization. */
  confirm(ctx: RequestContext, idempotencyKey: string, processorRef: string): Promise<ConfirmResult>;
  capture(ctx: RequestContext, idempotencyKey: string, processorRef: string, amount: number, currency: string): Promise<CaptureResult>;
  refund(ctx: RequestContext, idempotencyKey: string, processorRef: string, amount: number, currency: string): Promise<void>;
  /**
   * What the processor did for an idempotency key, or null when it never saw the key. `processorRef`
   * (the authorization's reference, when recorded) helps processors that find refunds through it.
   */
  lookup(ctx: RequestContext, idempotencyKey: string, processorRef?: string | null): Promise<ProcessorRecord | null>;
  /**
   * Optional (saved payment methods): a reusable reference for a card that was just authorized,
   * to charge it later without the number. Providers without it cannot save cards.
   */
  reusableRef?(ctx: RequestContext, card: CardInput): Promise<string | null>;
  /** Optional: authorizes a charge of a saved method by its reusable reference. */
  authorizeSaved?(ctx: RequestContext, request: AuthorizeSavedRequest): Promise<AuthorizeResult>;
  /** Optional (live processors): authorizes with a processor-side payment method id (`pm_…`) instead of a card. */
  authorizeMethod?(ctx: RequestContext, request: AuthorizeMethodRequest): Promise<AuthorizeResult>;
  /** Optional: the reusable form of a method that just paid with `customerId` set, or null when it cannot be kept. */
  reusableMethod?(ctx: RequestContext, processorRef: string): Promise<ReusableMethod | null>;
  /** Optional: forgets a saved method at the processor (detach). */
  forgetMethod?(ctx: RequestContext, methodRef: string): Promise<void>;
  /**
   * Optional (hosted pages in live mode): a page of the processor's where the payer pays an invoice
   * (Stripe Checkout); the payment is recorded from the processor's confirmed event, never from the
   * payer coming back. Returns the page's URL.
   */
  startCheckout?(ctx: RequestContext, request: CheckoutRequest): Promise<string>;
}

export interface CheckoutRequest {
  invoiceId: string;
  /** What is due, in minor units of `currency`. */
  amount: number;
  currency: string;
  description: string;
  customerId: string | null;
  /** Where the payer returns to (our hosted page), paid or not. */
  returnUrl: string;
  /** Makes repeated clicks within one request reuse one session. */
  attemptKey: string;
}

/**
 * The token a live adapter binds, in its module's providers:
 * `{ provide: LIVE_PAYMENT_PROVIDER, useExisting: StripePaymentProvider }`. `PAYMENT_PROVIDER`
 * picks one of the bound adapters by its `name`.
 */
export const LIVE_PAYMENT_PROVIDER = Symbol('LIVE_PAYMENT_PROVIDER');

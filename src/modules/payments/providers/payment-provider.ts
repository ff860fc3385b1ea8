import type { RequestContext } from '../../../platform/context/request-context';

/** Card details as the client sent them. Held in memory for the provider call only; never stored or logged. */
export interface CardInput {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

export interface AuthorizeRequest {
  intentId: string;
  amount: number;
  currency: string;
  card: CardInput;
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

export type ConfirmResult = { outcome: 'authorized' } | { outcome: 'declined'; code: string; message: string };

export interface CaptureResult {
  /** Set when the processor reports a chargeback for this charge (the sandbox's dispute card). */
  dispute?: { reason: string };
}

/**
 * A card processor. The sandbox provider serves test mode; a live adapter (Stripe, Adyen, …)
 * implements the same interface and is selected by `PAYMENT_PROVIDER`. Throwing a DomainError
 * aborts the payment's transaction, so nothing half-done is committed.
 */
export interface PaymentProvider {
  readonly name: string;
  authorize(ctx: RequestContext, request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Completes a pending customer action (3-D Secure) on an authorization. */
  confirm(ctx: RequestContext, processorRef: string): Promise<ConfirmResult>;
  capture(ctx: RequestContext, processorRef: string, amount: number, currency: string): Promise<CaptureResult>;
  refund(ctx: RequestContext, processorRef: string, amount: number, currency: string): Promise<void>;
  /**
   * Optional (saved payment methods): a reusable reference for a card that was just authorized,
   * to charge it later without the number. Providers without it cannot save cards.
   */
  reusableRef?(ctx: RequestContext, card: CardInput): Promise<string | null>;
  /** Optional: authorizes a charge of a saved method by its reusable reference. */
  authorizeSaved?(ctx: RequestContext, request: AuthorizeSavedRequest): Promise<AuthorizeResult>;
}

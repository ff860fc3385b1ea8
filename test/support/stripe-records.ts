/** The shapes the Stripe stand-in (stripe-stand-in.ts) records and keeps, for the tests that read them. */

/**
 * Request parameters as the stand-in reads them: the SDK's form fields decoded (strings at the leaves,
 * nested objects and arrays above), or the values its own helpers pass (completeCheckout).
 */
export interface StripeParams {
  [name: string]: unknown;
  metadata?: Record<string, string>;
  line_items?: { price_data?: { unit_amount?: unknown; currency?: unknown }; quantity?: unknown }[];
  payment_intent_data?: CheckoutSession['payment_intent_data'];
}

/** A Checkout Session as the stand-in keeps it; `payment_intent_data` is never shown, as Stripe hides it. */
export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  status: string;
  payment_status: string;
  amount_total: number;
  currency: unknown;
  customer: unknown;
  payment_intent: string | null;
  payment_intent_data?: { metadata?: Record<string, string>; setup_future_usage?: unknown };
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  params: StripeParams;
  idempotencyKey: string | undefined;
}

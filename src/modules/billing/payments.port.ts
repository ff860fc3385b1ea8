import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { PaymentSummary } from '../payments/payment-targets.port';

/**
 * What billing needs of the payments module, for invoices: PaymentsModule binds `INVOICE_PAYMENTS`
 * to the services that own each rule. Money only moves through payments, and these calls run
 * outside any transaction (payments commits its own around the card processor call). Failures
 * are typed (payments.errors.ts): `NoSavedPaymentMethodError`, `PaymentProviderUnavailableError`.
 */
export interface InvoicePayments {
  /**
   * Charges a card for the invoice: raw `card` details (test mode's sandbox) or a processor
   * `paymentMethodId` (live: a Stripe `pm_…`); a decline is recorded on the invoice (its onPaymentChanged), not thrown.
   */
  chargeCard(
    ctx: RequestContext,
    invoiceId: string,
    charge: { customerId: string; amount: number; currency: string; card?: Schemas['CardInput']; paymentMethodId?: string },
  ): Promise<void>;
  /** Charges the customer's default saved method; 422 before anything is written when there is none or no provider. */
  chargeSavedMethod(ctx: RequestContext, invoiceId: string, charge: { customerId: string; amount: number; currency: string }): Promise<void>;
  /** Refunds exactly `amount` of the invoice's payments (409 before money moves when it cannot). */
  refund(ctx: RequestContext, invoiceId: string, amount: number, reason?: string): Promise<void>;
  summaryOf(ctx: RequestContext, invoiceId: string): Promise<PaymentSummary>;
  /** False in live mode without a card processor: the hosted page then offers no card form. */
  canPayOnline(ctx: RequestContext): boolean;
}

export const INVOICE_PAYMENTS = Symbol('INVOICE_PAYMENTS');

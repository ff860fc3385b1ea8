import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';

/**
 * Billing's port for "an invoice was just paid" (on creation with a zero total, on finalize, or by
 * a payment). A module that acts on it binds the token in its providers, e.g. SubscriptionsModule:
 * `{ provide: INVOICE_PAID_LISTENERS, useExisting: ServicesService }`; every binding is called.
 */
export interface InvoicePaidListener {
  /** Runs inside the transaction that marks the invoice paid; a throw rolls the payment back. */
  onInvoicePaid(ctx: RequestContext, invoice: Schemas['Invoice']): Promise<void>;
}

export const INVOICE_PAID_LISTENERS = Symbol('INVOICE_PAID_LISTENERS');

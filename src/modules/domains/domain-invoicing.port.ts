import type { RequestContext } from '../../platform/context/request-context';

/** An invoice line for a domain: `quantity` years at `unit_amount` minor units each, or 1 × the whole amount. */
export interface DomainInvoiceLine {
  description: string;
  quantity: number;
  unit_amount: number;
}

export interface DomainInvoiceInput {
  customerId: string;
  currency: string;
  lines: DomainInvoiceLine[];
  dueDate?: Date;
  sendToCustomer?: boolean;
}

/** What the domains module reads back of an invoice it issued or was told about (a plain read model). */
export interface DomainInvoiceRef {
  id: string;
  status: string;
}

/**
 * What the domains module needs of billing: issue an invoice inside the caller's transaction. (Hearing
 * that a renewal invoice was paid goes through billing's INVOICE_PAID_LISTENERS, which DomainsModule binds.) Declared here, bound by BillingModule (`DOMAIN_INVOICING`).
 */
export interface DomainInvoicingPort {
  /** Issues an open invoice; `sendToCustomer` queues the invoice e-mail with its payment link. */
  issue(ctx: RequestContext, input: DomainInvoiceInput): Promise<DomainInvoiceRef>;
}

export const DOMAIN_INVOICING = Symbol('DOMAIN_INVOICING');

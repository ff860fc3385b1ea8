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
 * What the domains module needs of billing: issue an invoice inside the caller's transaction, and
 * hear (inside the transaction that marks it paid) that an invoice was paid, to renew the domain
 * it was issued for. Declared here, bound by BillingModule (`DOMAIN_INVOICING`).
 */
export interface DomainInvoicingPort {
  /** Issues an open invoice; `sendToCustomer` queues the invoice e-mail with its payment link. */
  issue(ctx: RequestContext, input: DomainInvoiceInput): Promise<DomainInvoiceRef>;
  /**
   * Registers the paid-invoice hook. The same mechanism subscriptions uses today (a listener run in
   * the paying transaction, so the renewal commits with the payment); kept to this one method so
   * the cross-module port work can replace it without touching the domain rules.
   */
  onInvoicePaid(listener: (ctx: RequestContext, invoice: DomainInvoiceRef) => Promise<void>): void;
}

export const DOMAIN_INVOICING = Symbol('DOMAIN_INVOICING');

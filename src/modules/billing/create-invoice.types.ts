import type { Schemas } from '../../platform/openapi/schemas';

/**
 * What creating an invoice takes, for billing's own routes and for the modules that issue invoices
 * (subscriptions' renewals and checkout, through their InvoicesPort). Lines are the spec's
 * `CreateInvoiceLine`: `quantity × unit_amount` in minor units.
 */
export interface CreateInvoiceInput {
  customerId: string;
  currency: string;
  lines: Schemas['CreateInvoiceLine'][];
  dueDate?: Date;
  sendToCustomer?: boolean;
  returnUrl?: string | null;
  serviceId?: string | null;
  draft?: boolean;
  periodStart?: Date;
  periodEnd?: Date;
}

import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { CreateInvoiceInput } from '../billing/create-invoice.types';

/**
 * What this module needs of billing, as two ports with the few invoice fields read here, so this
 * module depends on the contract and not on billing's internals. BillingModule binds them to the
 * services that own the rules: `INVOICES` to InvoicesService (issuing and reading invoices),
 * `INVOICE_CHARGES` to InvoiceSettlementService (money on them).
 */
export interface InvoiceRef {
  id: string;
  status: string;
  service_id?: string | null;
}

/** The whole invoice, for the hosted checkout, which redirects to its page and matches its lines. */
export type CheckoutInvoice = Schemas['Invoice'];

export type InvoicePaymentState = 'paid' | 'processing' | 'failed' | 'none';

export interface InvoicesPort {
  createInvoice(ctx: RequestContext, input: CreateInvoiceInput): Promise<InvoiceRef>;
  hostedUrl(invoice: CheckoutInvoice): string;
  findOpenInvoiceForService(ctx: RequestContext, serviceId: string): Promise<CheckoutInvoice | null>;
  /** The hosted page to send a payer to now: a fresh link when the invoice's current one expired. */
  liveHostedUrl(ctx: RequestContext, invoiceId: string): Promise<string>;
  /** The checkout reads an invoice it created or reuses, and a customer's unpaid invoices (idempotent product checkout). */
  get(ctx: RequestContext, id: string): Promise<CheckoutInvoice>;
  list(
    ctx: RequestContext, page: PageQuery, sort: { sort: 'created_at'; order: SortOrder }, filters: { customerId?: string; status?: 'unpaid' },
  ): Promise<{ items: CheckoutInvoice[] }>;
}

export interface InvoiceChargesPort {
  /** Charges the customer's default saved method; a decline or a missing method is `paid: false`, not an error. Outside any transaction. */
  payWithDefaultMethod(ctx: RequestContext, invoiceId: string): Promise<{ paid: boolean; invoice: InvoiceRef }>;
  /** Where the payments of an invoice stand: paid, a payment at the processor, the last attempt failed, or none tried. */
  paymentStateOf(ctx: RequestContext, invoiceId: string): Promise<InvoicePaymentState>;
}

export const INVOICES = Symbol('INVOICES');
export const INVOICE_CHARGES = Symbol('INVOICE_CHARGES');

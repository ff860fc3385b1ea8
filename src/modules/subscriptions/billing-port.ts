import type { RequestContext } from '../../platform/context/request-context';

/**
 * What this module needs of billing's InvoicesService (the contract in the issue). Kept as a port
 * with the few invoice fields read here, so this module depends on the contract and not on
 * billing's internals; SubscriptionsModule binds it to InvoicesService.
 */
export interface InvoiceRef {
  id: string;
  status: string;
  service_id?: string | null;
}

export interface CreateInvoiceInput {
  customerId: string;
  currency: string;
  lines: { description: string; quantity: number; unit_amount: number; product_id?: string }[];
  dueDate?: Date;
  sendToCustomer?: boolean;
  returnUrl?: string | null;
  serviceId?: string | null;
  draft?: boolean;
}

export interface InvoicesPort {
  createInvoice(ctx: RequestContext, input: CreateInvoiceInput): Promise<InvoiceRef>;
  payWithDefaultMethod(ctx: RequestContext, invoiceId: string): Promise<{ paid: boolean; invoice: InvoiceRef }>;
  hostedUrl(invoice: any): string;
  onInvoicePaid(listener: (ctx: RequestContext, invoice: any) => Promise<void>): void;
  findOpenInvoiceForService(ctx: RequestContext, serviceId: string): Promise<InvoiceRef | null>;
}

export const INVOICES = Symbol('INVOICES');

/** draft → open → paid | void | uncollectible; uncollectible can still be paid or voided. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The list filter's statuses: the real ones plus `unpaid` (open or uncollectible). */
export const INVOICE_STATUS_FILTERS = [...INVOICE_STATUSES, 'unpaid'] as const;
export type InvoiceStatusFilter = (typeof INVOICE_STATUS_FILTERS)[number];

export const UNPAID_STATUSES: readonly InvoiceStatus[] = ['open', 'uncollectible'];

/** Statuses that can take a payment. */
export function isPayable(status: InvoiceStatus): boolean {
  return UNPAID_STATUSES.includes(status);
}

/** Void only while nothing was paid: draft, open or uncollectible with amount_paid 0. */
export function isVoidable(status: InvoiceStatus, amountPaid: number): boolean {
  return (status === 'draft' || UNPAID_STATUSES.includes(status)) && amountPaid === 0;
}

/** What is left to pay: 0 once paid or void. */
export function amountDue(status: InvoiceStatus, total: number, amountPaid: number): number {
  if (status === 'paid' || status === 'void') return 0;
  return Math.max(0, total - amountPaid);
}

/** `INV-000123`. */
export function formatInvoiceNumber(n: number): string {
  return `INV-${String(n).padStart(6, '0')}`;
}

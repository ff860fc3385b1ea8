import type { Schemas } from '../../platform/openapi/schemas';
import type { InvoiceEntity, InvoiceLineEntity } from './entities/invoice.entity';
import { amountDue } from './invoice-status';

export function toInvoiceLine(l: InvoiceLineEntity): Schemas['InvoiceLine'] {
  return {
    id: l.id,
    description: l.description,
    quantity: l.quantity,
    unit_amount: l.unitAmount,
    amount: l.amount,
    product_id: l.productId,
  };
}

/** The invoice with its lines and the URL of its hosted payment page. */
export function toInvoice(i: InvoiceEntity, lines: readonly InvoiceLineEntity[], hostedUrl: string): Schemas['Invoice'] {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    customer_id: i.customerId,
    customer_email: i.customerEmail,
    account_ref_id: i.accountRefId,
    currency: i.currency,
    subtotal: i.subtotal,
    total: i.total,
    amount_paid: i.amountPaid,
    amount_refunded: i.amountRefunded,
    amount_due: amountDue(i.status, i.total, i.amountPaid),
    lines: lines.map(toInvoiceLine),
    due_date: i.dueDate ? i.dueDate.toISOString() : null,
    hosted_invoice_url: hostedUrl,
    return_url: i.returnUrl,
    email_sent: i.emailSent,
    service_id: i.serviceId,
    product_manage_id: i.productManageId,
    last_payment_error: i.lastPaymentErrorCode ? { code: i.lastPaymentErrorCode, message: i.lastPaymentErrorMessage ?? '' } : null,
    paid_at: i.paidAt ? i.paidAt.toISOString() : null,
    voided_at: i.voidedAt ? i.voidedAt.toISOString() : null,
    is_paid: i.status === 'paid',
    period_start: i.periodStart ? i.periodStart.toISOString() : null,
    period_end: i.periodEnd ? i.periodEnd.toISOString() : null,
    livemode: i.mode === 'live',
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}

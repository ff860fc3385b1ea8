import type { Schemas } from '../../platform/openapi/schemas';
import type { DisputeEntity } from './entities/dispute.entity';
import type { PaymentIntentEntity } from './entities/payment-intent.entity';
import type { RefundEntity } from './entities/refund.entity';
import type { TransactionEntity } from './entities/transaction.entity';

export function toRefund(r: RefundEntity): Schemas['Refund'] {
  return {
    id: r.id,
    payment_id: r.intentId,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    refund_application_fee: r.refundApplicationFee,
    status: r.status,
    created_at: r.createdAt.toISOString(),
  };
}

function toCard(i: PaymentIntentEntity): Schemas['CardDetails'] | null {
  if (!i.cardLast4 || i.cardExpMonth === null || i.cardExpYear === null) return null;
  return { brand: (i.cardBrand ?? 'unknown') as Schemas['CardDetails']['brand'], last4: i.cardLast4, exp_month: i.cardExpMonth, exp_year: i.cardExpYear };
}

/** The intent with its refunds (oldest first). */
export function toPaymentIntent(i: PaymentIntentEntity, refunds: RefundEntity[]): Schemas['PaymentIntent'] {
  return {
    id: i.id,
    amount: i.amount,
    currency: i.currency,
    status: i.status,
    capture_method: i.captureMethod,
    payment_method: i.paymentMethod as Schemas['PaymentIntent']['payment_method'],
    amount_captured: i.amountCaptured,
    amount_refunded: i.amountRefunded,
    amount_disputed: i.amountDisputed,
    order_id: i.targetKind === 'order' ? i.targetId : null,
    invoice_id: i.targetKind === 'invoice' ? i.targetId : null,
    customer_id: i.customerId,
    card: toCard(i),
    failure_code: i.failureCode,
    failure_message: i.failureMessage,
    next_action: i.status === 'requires_action' ? { type: 'three_d_secure', confirm_url: `/api/v1/payments/${i.id}/confirm` } : null,
    refunds: refunds.map(toRefund),
    metadata: i.metadata,
    ...(i.paymentMethod !== 'card' ? { reference: i.offlineReference, paid_at: i.paidAt?.toISOString() ?? null } : {}),
    livemode: i.mode === 'live',
    created_at: i.createdAt.toISOString(),
    updated_at: i.updatedAt.toISOString(),
  };
}

export function toDispute(d: DisputeEntity): Schemas['Dispute'] {
  return {
    id: d.id,
    payment_id: d.intentId,
    amount: d.amount,
    currency: d.currency,
    reason: d.reason,
    status: d.status,
    evidence: d.evidence,
    evidence_submitted_at: d.evidenceSubmittedAt ? d.evidenceSubmittedAt.toISOString() : null,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

export function toTransaction(t: TransactionEntity): Schemas['Transaction'] {
  return {
    id: t.id,
    type: t.type,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    payment_id: t.intentId,
    refund_id: t.refundId,
    dispute_id: t.disputeId,
    customer_id: t.customerId,
    customer_email: t.customerEmail,
    account_ref_id: t.accountRefId,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

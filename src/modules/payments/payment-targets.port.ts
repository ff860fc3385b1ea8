import type { RequestContext } from '../../platform/context/request-context';

/** What a payment can pay for. Payments knows neither orders nor invoices: each binds its token below. */
export type PaymentTargetKind = 'order' | 'invoice';

/** Money state of one target across all its payments, in minor units of `currency`. */
export interface PaymentSummary {
  currency: string;
  /** Sum of captured amounts. */
  captured: number;
  /** Sum of refunds (never more than captured). */
  refunded: number;
  /** Authorized but not captured yet (manual capture). */
  authorized: number;
  /** Sent to the processor, outcome not recorded yet (`processing`). */
  processing: number;
  /** Outcome of the most recent payment attempt on the target. */
  lastAttempt: 'succeeded' | 'failed' | 'requires_action' | 'requires_capture' | 'processing' | null;
}

/** What a locked, payable target tells payments. */
export interface PayableTarget {
  customerId: string | null;
  /** What all of the target's payments together may reach, in minor units of its currency. */
  total: number;
  /** How messages name it, e.g. `Invoice inv_…`. */
  label: string;
}

/** The payment whose change triggered `onPaymentChanged`, when it just failed. */
export interface PaymentFailure {
  intentId: string;
  code: string;
  message: string;
}

/**
 * The payments module's port for what it pays. The module that owns the target binds its token
 * to the service that owns the rules, e.g. in BillingModule's providers:
 * `{ provide: PAYMENT_TARGETS.invoice, useExisting: InvoiceSettlementService }`.
 *
 * Lock order, everywhere money moves: the target row first, then its payment intents. Every
 * transaction that touches both follows it, so two of them never wait on each other in a cycle.
 */
export interface PaymentTarget {
  /**
   * Inside the payment's transaction: locks the target row (SELECT … FOR UPDATE) until commit, so
   * payments of one target are counted against its total one at a time. Throws NotFoundError (404)
   * when it does not exist for ctx's tenant and mode, or ConflictError (409) when it cannot take a
   * payment now (void, cancelled, already paid, another currency).
   */
  lockPayable(ctx: RequestContext, targetId: string, currency: string): Promise<PayableTarget>;
  /** Inside a transaction: locks the target row only (refunds, recording an outcome), 404 when missing. */
  lock(ctx: RequestContext, targetId: string): Promise<void>;
  /** Called inside the payment's transaction after every money movement on the target. */
  onPaymentChanged(ctx: RequestContext, targetId: string, summary: PaymentSummary, failure?: PaymentFailure): Promise<void>;
}

/** One token per kind of target. */
export const PAYMENT_TARGETS = {
  order: Symbol('PAYMENT_TARGETS.order'),
  invoice: Symbol('PAYMENT_TARGETS.invoice'),
} as const satisfies Record<PaymentTargetKind, symbol>;

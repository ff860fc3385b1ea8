import type { RequestContext } from '../../platform/context/request-context';
import type { PaymentSummary } from '../payments/payment-targets.port';

/** What orders need of the payments module: PaymentsModule binds `ORDER_PAYMENTS` to the services that own each rule. */
export interface OrderPayments {
  summaryOf(ctx: RequestContext, orderId: string): Promise<PaymentSummary>;
  /** Refunds what the order's payments captured (newest first); returns the amount refunded. Outside any transaction. */
  refundAll(ctx: RequestContext, orderId: string, reason?: string): Promise<number>;
}

export const ORDER_PAYMENTS = Symbol('ORDER_PAYMENTS');

import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';

/**
 * The customers module's port for a customer's order summary (count, total spent, last order),
 * computed from orders when read. Customers cannot import orders (orders imports customers), so
 * OrdersModule binds it: `{ provide: ORDER_SUMMARIES, useExisting: OrdersService }`.
 */
export interface OrderSummaries {
  summaryOfCustomer(ctx: RequestContext, customerId: string): Promise<Schemas['OrderSummary']>;
}

export const ORDER_SUMMARIES = Symbol('ORDER_SUMMARIES');

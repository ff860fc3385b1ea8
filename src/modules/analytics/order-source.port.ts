import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';

/**
 * Analytics' port for reading orders when its rollups are rebuilt (the order events keep them
 * otherwise). OrdersModule binds it: `{ provide: ANALYTICS_ORDER_SOURCE, useExisting: … }`.
 * Orders come as the same plain `Order` the order events carry.
 */
export interface AnalyticsOrderSource {
  /** ctx's orders with an id after `afterId` (all when null), by id, at most `limit`. */
  pageOrders(ctx: RequestContext, afterId: string | null, limit: number): Promise<Schemas['Order'][]>;
}

export const ANALYTICS_ORDER_SOURCE = Symbol('ANALYTICS_ORDER_SOURCE');

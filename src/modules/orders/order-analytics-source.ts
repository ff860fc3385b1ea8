import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { AnalyticsOrderSource } from '../analytics/order-source.port';
import { toOrder } from './orders.mappers';
import { OrdersRepository } from './orders.repository';

/** Binds analytics' ANALYTICS_ORDER_SOURCE: orders by id, as the `Order` the order events carry. */
@Injectable()
export class OrderAnalyticsSource implements AnalyticsOrderSource {
  constructor(private readonly repo: OrdersRepository) {}

  async pageOrders(ctx: RequestContext, afterId: string | null, limit: number): Promise<Schemas['Order'][]> {
    const orders = await this.repo.pageById(ctx, afterId, limit);
    const lines = await this.repo.linesOf(ctx, orders.map((o) => o.id));
    return orders.map((o) => toOrder(o, lines.get(o.id) ?? []));
  }
}

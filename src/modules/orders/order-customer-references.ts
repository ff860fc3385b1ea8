import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { blockerIfAny, type CustomerBlocker, type CustomerReferences } from '../customers/customer-references.port';
import { ORDER_STATUSES, type OrderStatus } from './order-status';
import { OrdersRepository } from './orders.repository';

/** Finished orders are history; every other status is still being worked on. */
const FINISHED: readonly OrderStatus[] = ['delivered', 'cancelled', 'refunded'];
const IN_PROGRESS: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => !FINISHED.includes(s));

/** Orders' answer to the customers module: an order in progress keeps a customer from being deleted. */
@Injectable()
export class OrderCustomerReferences implements CustomerReferences {
  constructor(private readonly repo: OrdersRepository) {}

  async blockersOf(ctx: RequestContext, customerId: string): Promise<CustomerBlocker[]> {
    const count = await this.repo.countOfCustomerInStatuses(ctx, customerId, IN_PROGRESS);
    return blockerIfAny('orders', count, 'order in progress', 'orders in progress');
  }
}

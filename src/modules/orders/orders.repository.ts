import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import { newTimeOrderedUuid } from '../../platform/ids/ids';
import { paginate } from '../../platform/pagination/paginate';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity } from './entities/order.entity';
import type { FulfillmentStatus, OrderStatus, PaymentStatus } from './order-status';

export const ORDER_SORTS = ['created_at', 'updated_at', 'total'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export interface OrderFilters {
  status?: OrderStatus;
  customerId?: string;
  paymentStatus?: PaymentStatus;
  fulfillmentStatus?: FulfillmentStatus;
  dateFrom?: Date;
  dateTo?: Date;
}

/** Sort field → NOT NULL column and the entity value that goes into the cursor. */
const SORT_COLUMNS: Record<OrderSort, { column: string; valueOf: (o: OrderEntity) => number | Date }> = {
  created_at: { column: 'o.created_at', valueOf: (o) => o.createdAt },
  updated_at: { column: 'o.updated_at', valueOf: (o) => o.updatedAt },
  total: { column: 'o.total', valueOf: (o) => o.total },
};

/** Fields a status transition may change along with the status. */
export type TransitionChanges = Partial<Pick<OrderEntity, 'fulfillmentStatus' | 'stockState' | 'cancelReason' | 'cancelledAt'>>;

/** Fields the payments hook keeps up to date. */
export type PaymentChanges = Pick<OrderEntity, 'paymentStatus' | 'amountPaid' | 'amountRefunded'>;

/** Every query of the orders module; each is scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class OrdersRepository extends TenantScopedRepository {
  // --- orders
  /** A plain INSERT … RETURNING (no existence check first): the row comes back with its timestamps. */
  async insertOrder(ctx: RequestContext, order: Partial<OrderEntity>): Promise<OrderEntity> {
    const m = this.m(ctx);
    const entity = m.create(OrderEntity, { ...order, ...this.scope(ctx) });
    await m.insert(OrderEntity, entity);
    return entity;
  }

  /** All lines in one INSERT. */
  async insertLines(ctx: RequestContext, lines: Partial<OrderLineEntity>[]): Promise<OrderLineEntity[]> {
    const m = this.m(ctx);
    const entities = lines.map((l) => m.create(OrderLineEntity, { ...l, ...this.scope(ctx) }));
    await m.insert(OrderLineEntity, entities);
    return entities;
  }

  findOrder(ctx: RequestContext, id: string): Promise<OrderEntity | null> {
    return this.m(ctx).findOneBy(OrderEntity, { id, ...this.scope(ctx) });
  }

  /**
   * Moves the status only if it still is `expected` (the database decides between concurrent
   * transitions); the row as updated, or null when another transition won.
   */
  async transition(ctx: RequestContext, id: string, expected: OrderStatus, next: OrderStatus, changes: TransitionChanges): Promise<OrderEntity | null> {
    const result = await this.m(ctx)
      .createQueryBuilder()
      .update(OrderEntity)
      .set({ ...changes, status: next, updatedAt: () => 'now()' })
      .where('id = :id AND tenant_id = :tenant AND mode = :mode AND status = :expected', {
        id, tenant: ctx.tenant, mode: ctx.mode, expected,
      })
      .execute();
    if (!result.affected) return null;
    return this.findOrder(ctx, id);
  }

  async updatePayment(ctx: RequestContext, id: string, changes: PaymentChanges): Promise<void> {
    await this.m(ctx).update(OrderEntity, { id, ...this.scope(ctx) }, { ...changes, updatedAt: () => 'now()' });
  }

  /** Inside a transaction: locks the order row until commit (payment updates of one order in turn). */
  findOrderForUpdate(ctx: RequestContext, id: string): Promise<OrderEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(OrderEntity, 'o')
      .setLock('pessimistic_write')
      .where('o.id = :id AND o.tenant_id = :tenant AND o.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  listOrders(ctx: RequestContext, page: PageQuery, sort: { sort: OrderSort; order: SortOrder }, filters: OrderFilters) {
    const qb = this.m(ctx)
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.tenant_id = :tenant AND o.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (filters.status) qb.andWhere('o.status = :status', { status: filters.status });
    if (filters.customerId !== undefined) qb.andWhere('o.customer_id = :customerId', { customerId: filters.customerId });
    if (filters.paymentStatus) qb.andWhere('o.payment_status = :paymentStatus', { paymentStatus: filters.paymentStatus });
    if (filters.fulfillmentStatus) qb.andWhere('o.fulfillment_status = :fulfillmentStatus', { fulfillmentStatus: filters.fulfillmentStatus });
    if (filters.dateFrom) qb.andWhere('o.created_at >= :dateFrom', { dateFrom: filters.dateFrom });
    if (filters.dateTo) qb.andWhere('o.created_at <= :dateTo', { dateTo: filters.dateTo });
    const spec = SORT_COLUMNS[sort.sort];
    return paginate(qb, page, {
      name: sort.sort, column: spec.column, idColumn: 'o.id', order: sort.order,
      valueOf: spec.valueOf, idOf: (o) => o.id,
    });
  }

  /** Order count, money kept (paid − refunded) in the currency of the latest order, and the latest order's date. */
  async summaryOfCustomer(ctx: RequestContext, customerId: string): Promise<{ count: number; spent: number; currency: string | null; lastAt: Date | null }> {
    const [row]: { count: number; last_at: Date | null; currency: string | null }[] = await this.m(ctx).query(
      `SELECT count(*)::int AS count, max(created_at) AS last_at,
              (SELECT currency FROM orders WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 ORDER BY created_at DESC, id DESC LIMIT 1) AS currency
         FROM orders WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3`,
      [ctx.tenant, ctx.mode, customerId],
    );
    if (!row || row.count === 0 || !row.currency) return { count: 0, spent: 0, currency: null, lastAt: null };
    const [money]: { spent: string }[] = await this.m(ctx).query(
      `SELECT coalesce(sum(amount_paid - amount_refunded), 0)::text AS spent
         FROM orders WHERE tenant_id = $1 AND mode = $2 AND customer_id = $3 AND currency = $4`,
      [ctx.tenant, ctx.mode, customerId, row.currency],
    );
    return { count: row.count, spent: Number(BigInt(money.spent)), currency: row.currency, lastAt: new Date(row.last_at!) };
  }

  /** Orders of the customer with these statuses (the customers module's deletion check). */
  countOfCustomerInStatuses(ctx: RequestContext, customerId: string, statuses: readonly OrderStatus[]): Promise<number> {
    return this.m(ctx).countBy(OrderEntity, { tenantId: ctx.tenant, mode: ctx.mode, customerId, status: In([...statuses]) });
  }

  /** ctx's orders with an id after `afterId`, by id (analytics rebuilds page through every order). */
  pageById(ctx: RequestContext, afterId: string | null, limit: number): Promise<OrderEntity[]> {
    const qb = this.m(ctx)
      .createQueryBuilder(OrderEntity, 'o')
      .where('o.tenant_id = :tenant AND o.mode = :mode', { tenant: ctx.tenant, mode: ctx.mode });
    if (afterId !== null) qb.andWhere('o.id > :afterId', { afterId });
    return qb.orderBy('o.id', 'ASC').limit(limit).getMany();
  }

  // --- lines
  async linesOf(ctx: RequestContext, orderIds: string[]): Promise<Map<string, OrderLineEntity[]>> {
    const byOrder = new Map<string, OrderLineEntity[]>(orderIds.map((id) => [id, []]));
    if (orderIds.length === 0) return byOrder;
    const rows = await this.m(ctx).find(OrderLineEntity, {
      where: { orderId: In(orderIds), ...this.scope(ctx) },
      order: { orderId: 'ASC', position: 'ASC' },
    });
    for (const row of rows) byOrder.get(row.orderId)?.push(row);
    return byOrder;
  }

  /**
   * Adds `delta` (negative to take back) to a line's shipped units unless that leaves them below 0
   * or above the line's quantity: the guard decides, so two shipments of one line cannot both take
   * its last unit. False when refused.
   */
  async shiftFulfilled(ctx: RequestContext, lineId: string, orderId: string, delta: number): Promise<boolean> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `WITH changed AS (
         UPDATE order_lines SET fulfilled_quantity = fulfilled_quantity + $5
          WHERE tenant_id = $1 AND mode = $2 AND id = $3 AND order_id = $4
            AND fulfilled_quantity + $5 BETWEEN 0 AND quantity
          RETURNING id)
       SELECT id FROM changed`,
      [ctx.tenant, ctx.mode, lineId, orderId, delta],
    );
    return rows.length === 1;
  }

  async updateFulfilment(ctx: RequestContext, id: string, changes: Pick<OrderEntity, 'fulfillmentStatus' | 'stockState'>): Promise<void> {
    await this.m(ctx).update(OrderEntity, { id, ...this.scope(ctx) }, { ...changes, updatedAt: () => 'now()' });
  }

  // --- history
  async insertHistory(
    ctx: RequestContext,
    entry: Pick<OrderStatusHistoryEntity, 'orderId' | 'fromStatus' | 'toStatus' | 'actor' | 'note'>,
  ): Promise<OrderStatusHistoryEntity> {
    const m = this.m(ctx);
    // Time-ordered: transitions made in one transaction share created_at, and the id keeps their order.
    const entity = m.create(OrderStatusHistoryEntity, { ...entry, id: newTimeOrderedUuid(), ...this.scope(ctx) });
    await m.insert(OrderStatusHistoryEntity, entity);
    return entity;
  }

  historyOf(ctx: RequestContext, orderId: string): Promise<OrderStatusHistoryEntity[]> {
    return this.m(ctx).find(OrderStatusHistoryEntity, {
      where: { orderId, ...this.scope(ctx) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }
}


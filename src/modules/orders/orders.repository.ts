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

/** A new order's fields; tenant, mode and timestamps come from ctx and the database. */
export type NewOrder = Omit<OrderEntity, 'tenantId' | 'mode' | 'createdAt' | 'updatedAt'>;
/** A new order's line (its order id is the order's). */
export type NewOrderLine = Omit<OrderLineEntity, 'tenantId' | 'mode' | 'orderId' | 'createdAt'>;
/** A new order's first history row. */
export type NewHistory = Pick<OrderStatusHistoryEntity, 'fromStatus' | 'toStatus' | 'actor' | 'note'>;

/** Fields a status transition may change along with the status. */
export type TransitionChanges = Partial<Pick<OrderEntity, 'fulfillmentStatus' | 'stockState' | 'cancelReason' | 'cancelledAt'>>;

/** Fields the payments hook keeps up to date. */
export type PaymentChanges = Pick<OrderEntity, 'paymentStatus' | 'amountPaid' | 'amountRefunded'>;

/** Every query of the orders module; each is scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class OrdersRepository extends TenantScopedRepository {
  // --- orders
  /**
   * A new order with its lines and its first history row, in ONE statement (three data-modifying
   * CTEs: the lines' and the history's foreign keys are checked at the end of the statement, when
   * the order row is there), where three INSERTs took three round trips. Every row's created_at
   * (and the order's updated_at) is the column default, the transaction's now().
   */
  async insertNewOrder(ctx: RequestContext, order: NewOrder, lines: NewOrderLine[], history: NewHistory): Promise<{
    order: OrderEntity; lines: OrderLineEntity[]; history: OrderStatusHistoryEntity;
  }> {
    const historyId = newTimeOrderedUuid();
    const lineRecords = lines.map((l) => ({
      id: l.id, position: l.position, product_id: l.productId, variant_id: l.variantId, sku: l.sku, name: l.name,
      unit_price: l.unitPrice, quantity: l.quantity, line_total: l.lineTotal, fulfilled_quantity: l.fulfilledQuantity,
    }));
    const [row]: { created_at: Date; updated_at: Date; history_created_at: Date; lines_created_at: Date | null }[] = await this.m(ctx).query(
      `WITH new_order AS (
         INSERT INTO orders (id, tenant_id, mode, customer_id, status, payment_status, fulfillment_status, stock_state, currency,
                             subtotal, shipping_total, tax_total, total, amount_paid, amount_refunded, shipping_address,
                             billing_address, shipping_method, payment_method, note, cancel_reason, cancelled_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, $17::jsonb, $18, $19, $20, $21, $22)
         RETURNING created_at, updated_at),
       new_lines AS (
         INSERT INTO order_lines (id, tenant_id, mode, order_id, position, product_id, variant_id, sku, name, unit_price,
                                  quantity, line_total, fulfilled_quantity)
         SELECT l.id, $2, $3, $1, l.position, l.product_id, l.variant_id, l.sku, l.name, l.unit_price, l.quantity, l.line_total,
                l.fulfilled_quantity
           FROM jsonb_to_recordset($23::jsonb) AS l(id text, position integer, product_id text, variant_id text, sku text,
                                                    name text, unit_price bigint, quantity integer, line_total bigint,
                                                    fulfilled_quantity integer)
         RETURNING created_at),
       new_history AS (
         INSERT INTO order_status_history (id, tenant_id, mode, order_id, from_status, to_status, actor, note)
         VALUES ($24::uuid, $2, $3, $1, $25, $26, $27, $28)
         RETURNING created_at)
       SELECT o.created_at, o.updated_at, h.created_at AS history_created_at, (SELECT max(created_at) FROM new_lines) AS lines_created_at
         FROM new_order o, new_history h`,
      [
        order.id, ctx.tenant, ctx.mode, order.customerId, order.status, order.paymentStatus, order.fulfillmentStatus, order.stockState,
        order.currency, order.subtotal, order.shippingTotal, order.taxTotal, order.total, order.amountPaid, order.amountRefunded,
        JSON.stringify(order.shippingAddress), JSON.stringify(order.billingAddress), order.shippingMethod, order.paymentMethod,
        order.note, order.cancelReason, order.cancelledAt, JSON.stringify(lineRecords),
        historyId, history.fromStatus, history.toStatus, history.actor, history.note,
      ],
    );
    const scope = this.scope(ctx);
    return {
      order: { ...order, ...scope, createdAt: row.created_at, updatedAt: row.updated_at },
      lines: lines.map((l) => ({ ...l, ...scope, orderId: order.id, createdAt: row.lines_created_at! })),
      history: { ...history, ...scope, id: historyId, orderId: order.id, createdAt: row.history_created_at },
    };
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


import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import { checkedMultiply, checkedSum } from '../../platform/money/checked-arithmetic';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { ProductsService } from '../catalog/products.service';
import { CustomersService } from '../customers/customers.service';
import { EventsService } from '../events/events.service';
import { InventoryService, type StockLine } from '../inventory/inventory.service';
import type { PayableTarget, PaymentSummary, PaymentTarget } from '../payments/payment-targets.port';
import type { OrderEntity, OrderLineEntity } from './entities/order.entity';
import { ORDER_PAYMENTS, type OrderPayments } from './payments.port';
import {
  CANCELLABLE, EFFECTS, allowedNext, canTransition, hasCapturedPayment, paymentStatusFor, type OrderStatus,
} from './order-status';
import { PortBindings } from '../../platform/ports/port-bindings';
import { ORDER_SHIPPING_PRICES, type OrderShippingPrices } from './order-shipping.port';
import { shippingChargeOf } from './order-shipping-charge';
import { OrdersRepository, type NewOrder, type NewOrderLine, type OrderFilters, type OrderSort, type TransitionChanges } from './orders.repository';
import { toOrder, toOrderDetail } from './orders.mappers';

function addressValue(a: Schemas['OrderAddress']): Schemas['OrderAddressSnapshot'] {
  return {
    first_name: a.first_name ?? null,
    last_name: a.last_name ?? null,
    company: a.company ?? null,
    line1: a.line1,
    line2: a.line2 ?? null,
    city: a.city,
    region: a.region ?? null,
    postal_code: a.postal_code ?? null,
    country: a.country,
    phone: a.phone ?? null,
  };
}

/** Who made a change, for the status history: `usr_…`, `key_…`, `oac_…` (an OAuth app) or `system:<name>`. */
function actorOf(ctx: RequestContext): string {
  switch (ctx.actor.kind) {
    case 'user':
      return ctx.actor.userId;
    case 'api_key':
      return ctx.actor.keyId;
    case 'customer_token':
      return ctx.actor.tokenId;
    case 'oauth_app':
      return ctx.actor.clientId;
    case 'system':
      return `system:${ctx.actor.name}`;
    default:
      return 'anonymous';
  }
}

/** What the order still holds reserved: every line's units not in a shipment. */
function unshippedStockLines(lines: readonly OrderLineEntity[]): StockLine[] {
  return lines
    .map((l) => ({ productId: l.productId, variantId: l.variantId, quantity: l.quantity - l.fulfilledQuantity }))
    .filter((l) => l.quantity > 0);
}

function invalidTransition(order: OrderEntity, next: OrderStatus, allowed: readonly OrderStatus[]): ConflictError {
  const list = allowed.length > 0 ? allowed.join(', ') : 'none';
  return new ConflictError(
    `Cannot move order ${order.id} from ${order.status} to ${next}; allowed next statuses: ${list}`,
    'status',
    allowed.map((s) => ({ field: 'status', message: s })),
  );
}

/**
 * Orders: creation (priced from the catalog, stock reserved in the same transaction), the status
 * machine of `order-status.ts`, cancellation, and the payment hook. Exported: `summaryOfCustomer`
 * (bound to the customers module's ORDER_SUMMARIES port) and the 'order' payment target (bound
 * to payments' PAYMENT_TARGETS.order in OrdersModule).
 */
@Injectable()
export class OrdersService implements PaymentTarget {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly customers: CustomersService,
    private readonly products: ProductsService,
    private readonly inventory: InventoryService,
    @Inject(ORDER_PAYMENTS) private readonly payments: OrderPayments,
    private readonly bindings: PortBindings,
  ) {}

  /** ShippingModule binds the port (it imports orders, so orders looks the binding up). */
  private shippingPrices(): OrderShippingPrices {
    const prices = this.bindings.one<OrderShippingPrices>(ORDER_SHIPPING_PRICES);
    if (!prices) throw new Error('ORDER_SHIPPING_PRICES is not bound: ShippingModule is not loaded');
    return prices;
  }

  // --- reads

  /** A `customer` user sees only its own orders. */
  async list(
    ctx: RequestContext,
    page: PageQuery,
    sort: { sort: OrderSort; order: SortOrder },
    filters: OrderFilters,
  ): Promise<Page<Schemas['Order']>> {
    const scope = ctx.customerScope;
    if (scope !== null) {
      if (filters.customerId !== undefined && filters.customerId !== scope) return new Page([], emptyMeta(page));
      filters = { ...filters, customerId: scope };
    }
    return this.tx.read(ctx, async (readCtx) => {
      const rows = await this.repo.listOrders(readCtx, page, sort, filters);
      const lines = await this.repo.linesOf(readCtx, rows.items.map((o) => o.id));
      return new Page(rows.items.map((o) => toOrder(o, lines.get(o.id) ?? [])), rows.meta);
    });
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['OrderDetail']> {
    return this.tx.read(ctx, async (readCtx) => this.detail(readCtx, await this.getOrThrow(readCtx, id)));
  }

  /** The order of this tenant and mode (and, for a customer user, of its customer), or 404. */
  async getOrThrow(ctx: RequestContext, id: string): Promise<OrderEntity> {
    const order = await this.repo.findOrder(ctx, parseIdOr404(id, 'ord', 'order'));
    const scope = ctx.customerScope;
    if (!order || (scope !== null && order.customerId !== scope)) throw new NotFoundError('order', id);
    return order;
  }

  /** For the customers module: computed from the orders when read. */
  async summaryOfCustomer(ctx: RequestContext, customerId: string): Promise<Schemas['OrderSummary']> {
    const s = await this.repo.summaryOfCustomer(ctx, customerId);
    return { order_count: s.count, total_spent: s.spent, currency: s.currency, last_order_at: s.lastAt ? s.lastAt.toISOString() : null };
  }

  // --- create

  /**
   * One transaction: the customer must exist, every line is priced from the catalog (all in one
   * currency), the order and its lines are inserted, and every line's stock is reserved under
   * the order id. A short line → 409 naming it, and the whole transaction (order, lines and any
   * line already reserved) rolls back: all lines or none.
   */
  async create(ctx: RequestContext, body: Schemas['CreateOrderRequest']): Promise<Schemas['OrderDetail']> {
    return this.tx.run(ctx, async (txCtx) => {
      const customer = await this.customers.lockForNewReference(txCtx, body.customer_id);
      const orderId = newId('ord');
      const lines: NewOrderLine[] = [];
      let currency: string | null = body.currency ?? null;
      for (const [index, item] of body.items.entries()) {
        const product = await this.products.getForSale(txCtx, item.product_id, item.variant_id ?? undefined);
        if (product.status !== 'active') {
          throw new ValidationError(`items[${index}].product_id: product ${product.id} is not for sale (status ${product.status})`, [
            { field: `items[${index}].product_id`, message: `product is ${product.status}, not active` },
          ]);
        }
        if (currency === null) currency = product.currency;
        if (product.currency !== currency) {
          throw new ValidationError(`All items of an order must be priced in one currency: ${product.id} is in ${product.currency}, the order in ${currency}`, [
            { field: `items[${index}].product_id`, message: `priced in ${product.currency}, the order is in ${currency}` },
          ]);
        }
        const unitPrice = product.variantPrice ?? product.price;
        lines.push({
          id: newId('line'),
          position: index,
          productId: product.id,
          variantId: product.variantId,
          sku: product.sku,
          name: product.name,
          unitPrice,
          quantity: item.quantity,
          // Range-checked before any write: past the largest exact amount → 422 naming the line.
          lineTotal: checkedMultiply(unitPrice, item.quantity, `items[${index}].quantity`),
          fulfilledQuantity: 0,
        });
      }
      const subtotal = checkedSum(lines.map((l) => l.lineTotal), 'items');
      const { shippingTotal, shippingMethod } = await shippingChargeOf(this.shippingPrices(), txCtx, body, currency!, subtotal);
      const taxTotal = 0;
      const shipping = addressValue(body.shipping_address);
      const newOrder: NewOrder = {
        id: orderId,
        customerId: customer.id,
        status: 'pending',
        paymentStatus: 'pending',
        fulfillmentStatus: 'unfulfilled',
        stockState: 'reserved',
        currency: currency!,
        subtotal,
        shippingTotal,
        taxTotal,
        total: checkedSum([subtotal, shippingTotal, taxTotal], 'shipping_total'),
        amountPaid: 0,
        amountRefunded: 0,
        shippingAddress: shipping,
        billingAddress: body.billing_address ? addressValue(body.billing_address) : shipping,
        shippingMethod,
        paymentMethod: body.payment_method ?? null,
        note: body.note ?? null,
        cancelReason: null,
        cancelledAt: null,
      };
      const first = { fromStatus: null, toStatus: 'pending' as const, actor: actorOf(txCtx), note: body.note ?? null };
      const { order, lines: saved, history: created } = await this.repo.insertNewOrder(txCtx, newOrder, lines, first);
      const result = toOrderDetail(order, saved, [created]);
      // The event before the reservation (it commits or rolls back with it all the same): the stock
      // rows that every order of a product locks are then held only for the reservation and COMMIT.
      await this.events.record(txCtx, 'order.created', stripHistory(result));
      // The order id was generated above and is visible to no one until this transaction commits.
      await this.inventory.reserve(txCtx, unshippedStockLines(saved), order.id, { newReference: true });
      return result;
    });
  }

  // --- status machine

  /** `PATCH /orders/{id}/status`: only the transitions of `order-status.ts` (409 listing the allowed ones). */
  async updateStatus(ctx: RequestContext, id: string, body: Schemas['UpdateOrderStatusRequest']): Promise<Schemas['OrderDetail']> {
    const result = await this.tx.run(ctx, (txCtx) => this.transition(txCtx, id, body.status, body.note ?? null, {}));
    if (!EFFECTS[body.status].refund) return result;
    // After the transition committed: the refund calls the card processor, never inside a transaction.
    await this.refundAll(ctx, result.id, body.note ?? undefined);
    return this.detail(ctx, await this.getOrThrow(ctx, id));
  }

  /**
   * `POST /orders/{id}/cancel`: from pending, confirmed or processing only. Releases the
   * reservation and, with `refund: true`, refunds what was captured on the order — after the
   * cancellation committed, since a refund calls the card processor (record, commit, call, record).
   * 409 while a payment of the order is at the processor: its outcome must be recorded first.
   */
  async cancel(ctx: RequestContext, id: string, body: Schemas['CancelOrderRequest']): Promise<Schemas['OrderDetail']> {
    const { result, refund } = await this.tx.run(ctx, async (txCtx) => {
      const order = await this.getOrThrow(txCtx, id);
      if (!CANCELLABLE.includes(order.status)) {
        throw invalidTransition(order, 'cancelled', allowedNext(order.status));
      }
      await this.repo.findOrderForUpdate(txCtx, order.id);
      if ((await this.payments.summaryOf(txCtx, order.id)).processing > 0) {
        throw new ConflictError(`Order ${order.id} cannot be cancelled while a payment of it is processing`, 'status');
      }
      const note = body.note ? `${body.reason}: ${body.note}` : body.reason;
      const cancelled = await this.transition(txCtx, id, 'cancelled', note, { cancelReason: body.reason }, order);
      return { result: cancelled, refund: body.refund === true && order.amountPaid - order.amountRefunded > 0 };
    });
    if (!refund) return result;
    await this.refundAll(ctx, result.id, body.reason);
    return this.detail(ctx, await this.getOrThrow(ctx, id));
  }

  /** For the fulfilment of shipments: one transition of the map inside the caller's transaction. */
  async transitionWithin(ctx: RequestContext, id: string, next: OrderStatus, note: string): Promise<void> {
    await this.tx.run(ctx, (txCtx) => this.transition(txCtx, id, next, note, {}));
  }

  /**
   * Inside a transaction. Checks the map (and the guard of `refunded`), moves the status with a
   * guarded UPDATE, runs the target status's effects, records the history row and the event.
   */
  private async transition(
    ctx: RequestContext,
    id: string,
    next: OrderStatus,
    note: string | null,
    extra: TransitionChanges,
    loaded?: OrderEntity,
  ): Promise<Schemas['OrderDetail']> {
    const order = loaded ?? (await this.getOrThrow(ctx, id));
    if (!canTransition(order.status, next)) throw invalidTransition(order, next, allowedNext(order.status));
    const effect = EFFECTS[next];
    if (effect.requiresCapturedPayment && !hasCapturedPayment(order)) {
      throw new ConflictError(
        `Order ${order.id} cannot be refunded: nothing captured to refund (payment_status ${order.paymentStatus})`,
        'status',
      );
    }
    const changes: TransitionChanges = { ...extra };
    const stock = effect.stock === 'commit' && order.stockState === 'reserved' ? 'commit'
      : effect.stock === 'release' && order.stockState === 'reserved' ? 'release' : null;
    if (stock === 'commit') changes.stockState = 'committed';
    if (stock === 'release') changes.stockState = 'released';
    if (effect.fulfil) changes.fulfillmentStatus = 'fulfilled';
    if (next === 'cancelled') changes.cancelledAt = new Date();

    const moved = await this.repo.transition(ctx, order.id, order.status, next, changes);
    if (!moved) {
      // A concurrent transition committed first: report where the order is now.
      const now = await this.getOrThrow(ctx, id);
      const allowed = allowedNext(now.status);
      throw new ConflictError(
        `Order ${order.id} moved from ${order.status} to ${now.status} meanwhile; allowed next statuses: ${allowed.join(', ') || 'none'}`,
        'status',
        allowed.map((s) => ({ field: 'status', message: s })),
      );
    }
    // Units already in shipments were committed by them: only the rest is still reserved.
    const held = stock ? unshippedStockLines((await this.repo.linesOf(ctx, [order.id])).get(order.id) ?? []) : [];
    if (stock === 'commit' && held.length > 0) await this.inventory.commit(ctx, held, order.id);
    if (stock === 'release' && held.length > 0) await this.inventory.release(ctx, held, order.id);
    await this.repo.insertHistory(ctx, { orderId: order.id, fromStatus: order.status, toStatus: next, actor: actorOf(ctx), note });
    // `effect.refund`: the caller refunds after this transaction commits (updateStatus).
    const current = (await this.repo.findOrder(ctx, order.id))!;
    const result = await this.detail(ctx, current);
    // A refund records `order.refunded` from the payment hook; the transition itself is an update then.
    const type = effect.refund ? 'order.updated' : effect.event;
    await this.events.record(ctx, type, stripHistory(result));
    return result;
  }

  /** Refunds everything still captured on the order, outside any transaction (payments calls `onPaymentChanged` back). */
  private async refundAll(ctx: RequestContext, orderId: string, reason?: string): Promise<number> {
    return this.payments.refundAll(ctx, orderId, reason);
  }

  // --- the payment target ('order')

  /**
   * Locks the order for a payment's transaction (404 when missing, or not the customer user's own);
   * 409 when it is cancelled or refunded, or in another currency. Payments counts what it owes.
   */
  async lockPayable(ctx: RequestContext, orderId: string, currency: string): Promise<PayableTarget> {
    const order = await this.lockForPayment(ctx, orderId);
    if (order.status === 'cancelled' || order.status === 'refunded') {
      throw new ConflictError(`Order ${order.id} is ${order.status} and cannot be paid`, 'order_id');
    }
    if (order.currency !== currency) {
      throw new ConflictError(`Order ${order.id} is in ${order.currency}, not ${currency}`, 'currency');
    }
    return { customerId: order.customerId, total: order.total, label: `Order ${order.id}` };
  }

  /** Inside a transaction: locks the order row until commit (the payments' lock order: order, then its payments). */
  async lock(ctx: RequestContext, orderId: string): Promise<void> {
    await this.lockForPayment(ctx, orderId);
  }

  private async lockForPayment(ctx: RequestContext, orderId: string): Promise<OrderEntity> {
    const order = await this.repo.findOrderForUpdate(ctx, parseIdOr404(orderId, 'ord', 'order'));
    const scope = ctx.customerScope;
    if (!order || (scope !== null && order.customerId !== scope)) throw new NotFoundError('order', orderId);
    return order;
  }

  /**
   * Called by payments inside the payment's transaction after every money movement: keeps
   * payment_status, amount_paid and amount_refunded, and records `order.updated` (plus
   * `order.refunded` when more was refunded than before).
   */
  async onPaymentChanged(ctx: RequestContext, orderId: string, summary: PaymentSummary): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const order = await this.repo.findOrderForUpdate(txCtx, parseIdOr404(orderId, 'ord', 'order'));
      if (!order) throw new NotFoundError('order', orderId);
      const paymentStatus = paymentStatusFor(order.total, summary);
      if (paymentStatus === order.paymentStatus && summary.captured === order.amountPaid && summary.refunded === order.amountRefunded) return;
      const refundedMore = summary.refunded > order.amountRefunded;
      await this.repo.updatePayment(txCtx, order.id, { paymentStatus, amountPaid: summary.captured, amountRefunded: summary.refunded });
      const current = (await this.repo.findOrder(txCtx, order.id))!;
      const object = toOrder(current, (await this.repo.linesOf(txCtx, [order.id])).get(order.id) ?? []);
      await this.events.record(txCtx, 'order.updated', object);
      if (refundedMore) await this.events.record(txCtx, 'order.refunded', object);
    });
  }

  // --- helpers

  private async detail(ctx: RequestContext, order: OrderEntity): Promise<Schemas['OrderDetail']> {
    const lines = (await this.repo.linesOf(ctx, [order.id])).get(order.id) ?? [];
    return toOrderDetail(order, lines, await this.repo.historyOf(ctx, order.id));
  }
}

/** Events carry the order as `Order` (with its lines), without the history. */
function stripHistory(detail: Schemas['OrderDetail']): Schemas['Order'] {
  const { status_history: _history, ...order } = detail;
  return order;
}

function emptyMeta(page: PageQuery) {
  return page.kind === 'cursor'
    ? { per_page: page.perPage, has_next: false, has_previous: true, has_more: false, next_cursor: null }
    : { page: page.page, per_page: page.perPage, total: 0, total_pages: 0, has_next: false, has_previous: page.page > 1, has_more: false, next_cursor: null };
}

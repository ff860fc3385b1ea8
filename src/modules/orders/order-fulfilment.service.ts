import { Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { parseIdOr404 } from '../../platform/ids/ids';
import { EventsService } from '../events/events.service';
import { InventoryService } from '../inventory/inventory.service';
import type { CommittedStock, LineUnits, ShipmentOrder, ShipmentOrders } from '../shipping/shipment-orders.port';
import type { OrderEntity, OrderLineEntity } from './entities/order.entity';
import type { FulfillmentStatus, OrderStatus } from './order-status';
import { toOrder } from './orders.mappers';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/** Statuses in which units may be shipped, or a shipment taken back. */
const SHIPPABLE: readonly OrderStatus[] = ['confirmed', 'processing'];
const UNSHIPPABLE: readonly OrderStatus[] = ['pending', 'confirmed', 'processing'];
/** The order's way to `shipped` and `delivered` along the state machine, from where shipments may start. */
const PATH: readonly OrderStatus[] = ['confirmed', 'processing', 'shipped', 'delivered'];

/** `fulfilled` once every unit of every line shipped, `partial` once any did, else `unfulfilled`. */
export function fulfillmentOf(lines: readonly OrderLineEntity[]): FulfillmentStatus {
  if (lines.every((l) => l.fulfilledQuantity === l.quantity)) return 'fulfilled';
  return lines.some((l) => l.fulfilledQuantity > 0) ? 'partial' : 'unfulfilled';
}

/**
 * The orders side of shipments (`ShipmentOrders`, bound for the shipping module): which units of an
 * order are shipped, their stock (committed line by line, never the whole order at once), the
 * fulfillment status, and the moves to `shipped` and `delivered` that tracking brings.
 */
@Injectable()
export class OrderFulfilmentService implements ShipmentOrders {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly tx: TransactionService,
    private readonly orders: OrdersService,
    private readonly inventory: InventoryService,
    private readonly events: EventsService,
  ) {}

  async get(ctx: RequestContext, orderId: string): Promise<ShipmentOrder> {
    const order = await this.orders.getOrThrow(ctx, orderId);
    return this.readModel(order, await this.linesOf(ctx, order.id));
  }

  async ship(ctx: RequestContext, orderId: string, items: LineUnits[], shipmentId: string): Promise<CommittedStock[]> {
    return this.tx.run(ctx, async (txCtx) => {
      const order = await this.lock(txCtx, orderId);
      if (!SHIPPABLE.includes(order.status)) {
        throw new ConflictError(`Order ${order.id} is ${order.status}: only confirmed or processing orders ship`, 'order_id');
      }
      if (order.stockState !== 'reserved') {
        throw new ConflictError(`Order ${order.id} holds no reserved stock (${order.stockState}): it was shipped or released as a whole`, 'order_id');
      }
      const lines = await this.linesOf(txCtx, order.id);
      const stock = items.map((item, i) => {
        const line = this.lineOf(lines, item, i);
        return { productId: line.productId, variantId: line.variantId, quantity: item.quantity };
      });
      for (const [i, item] of items.entries()) {
        if (!(await this.repo.shiftFulfilled(txCtx, item.lineId, order.id, item.quantity))) {
          const line = this.lineOf(lines, item, i);
          const left = line.quantity - line.fulfilledQuantity;
          const message = `Line ${line.id} has ${left} unit(s) left to ship, not ${item.quantity}`;
          throw new ConflictError(message, `items[${i}].quantity`, [{ field: `items[${i}].quantity`, message }]);
        }
      }
      const committed = await this.inventory.commit(txCtx, stock, order.id, { note: shipmentId });
      await this.afterChange(txCtx, order);
      return committed.map((a) => ({ productId: a.productId, variantId: a.variantId, locationId: a.locationId, quantity: a.quantity }));
    });
  }

  async unship(ctx: RequestContext, orderId: string, items: LineUnits[], stock: CommittedStock[], shipmentId: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const order = await this.lock(txCtx, orderId);
      if (!UNSHIPPABLE.includes(order.status)) {
        throw new ConflictError(`Order ${order.id} is ${order.status}: its shipments can no longer be taken back`, 'status');
      }
      for (const item of items) {
        if (!(await this.repo.shiftFulfilled(txCtx, item.lineId, order.id, -item.quantity))) {
          throw new ConflictError(`Line ${item.lineId} of order ${order.id} does not have ${item.quantity} shipped unit(s) to take back`);
        }
      }
      await this.inventory.uncommit(txCtx, stock, order.id, shipmentId);
      await this.afterChange(txCtx, order);
    });
  }

  async onShipmentProgress(ctx: RequestContext, orderId: string, milestone: 'in_transit' | 'delivered'): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const order = await this.lock(txCtx, orderId);
      if (order.fulfillmentStatus !== 'fulfilled') return;
      const target: OrderStatus = milestone === 'in_transit' ? 'shipped' : 'delivered';
      const from = PATH.indexOf(order.status);
      if (from < 0) return;
      // Walk the state machine one edge at a time, so each step is checked, recorded and emitted.
      for (const next of PATH.slice(from + 1, PATH.indexOf(target) + 1)) {
        await this.orders.transitionWithin(txCtx, order.id, next, `shipment tracking: ${milestone}`);
      }
    });
  }

  // --- helpers
  private async lock(ctx: RequestContext, orderId: string): Promise<OrderEntity> {
    const order = await this.repo.findOrderForUpdate(ctx, parseIdOr404(orderId, 'ord', 'order'));
    if (!order) throw new NotFoundError('order', orderId);
    return order;
  }

  private async linesOf(ctx: RequestContext, orderId: string): Promise<OrderLineEntity[]> {
    return (await this.repo.linesOf(ctx, [orderId])).get(orderId) ?? [];
  }

  private lineOf(lines: readonly OrderLineEntity[], item: LineUnits, index: number): OrderLineEntity {
    const line = lines.find((l) => l.id === item.lineId);
    if (!line) {
      throw new ValidationError(`items[${index}].line_id: ${item.lineId} is not a line of this order`, [
        { field: `items[${index}].line_id`, message: 'not a line of this order' },
      ]);
    }
    return line;
  }

  /** Recomputes fulfillment from the lines; the stock is all committed once every unit shipped. Records `order.updated`. */
  private async afterChange(ctx: RequestContext, order: OrderEntity): Promise<void> {
    const lines = await this.linesOf(ctx, order.id);
    const fulfillmentStatus = fulfillmentOf(lines);
    await this.repo.updateFulfilment(ctx, order.id, { fulfillmentStatus, stockState: fulfillmentStatus === 'fulfilled' ? 'committed' : 'reserved' });
    const current = (await this.repo.findOrder(ctx, order.id))!;
    await this.events.record(ctx, 'order.updated', toOrder(current, lines));
  }

  private readModel(order: OrderEntity, lines: readonly OrderLineEntity[]): ShipmentOrder {
    return {
      id: order.id,
      customerId: order.customerId,
      status: order.status,
      currency: order.currency,
      shippingAddress: order.shippingAddress,
      lines: lines.map((l) => ({
        id: l.id, productId: l.productId, variantId: l.variantId, sku: l.sku, name: l.name, quantity: l.quantity, fulfilledQuantity: l.fulfilledQuantity,
      })),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery } from '../../platform/pagination/page-query';
import { EventsService } from '../events/events.service';
import { CarrierRegistry } from './carriers/carrier-registry';
import type { ShipmentEntity, ShipmentItemValue } from './entities/shipment.entity';
import { SHIPMENT_ORDERS, type LineUnits, type ShipmentOrder, type ShipmentOrders } from './shipment-orders.port';
import { canCancel } from './shipment-status';
import { toShipment } from './shipping.mappers';
import { publicBaseUrl, ShippingRatesService } from './shipping-rates.service';
import { ShipmentsRepository, type ShipmentFilters } from './shipments.repository';
import { measureAll } from './units';

function addressOf(a: ShipmentOrder['shippingAddress']): Schemas['ShippingAddress'] {
  const name = [a.first_name, a.last_name].filter(Boolean).join(' ');
  const out: Schemas['ShippingAddress'] = { country: a.country, line1: a.line1, city: a.city };
  if (name) out.name = name;
  if (a.company) out.company = a.company;
  if (a.line2) out.line2 = a.line2;
  if (a.region) out.region = a.region;
  if (a.postal_code) out.postal_code = a.postal_code;
  if (a.phone) out.phone = a.phone;
  return out;
}

/** The units a shipment carries: those named (checked against the order's lines), or every unit not shipped yet. */
function itemsOf(order: ShipmentOrder, requested: Schemas['CreateShipmentRequest']['items']): ShipmentItemValue[] {
  const wanted: LineUnits[] = requested
    ? requested.map((i) => ({ lineId: i.line_id, quantity: i.quantity }))
    : order.lines.filter((l) => l.quantity > l.fulfilledQuantity).map((l) => ({ lineId: l.id, quantity: l.quantity - l.fulfilledQuantity }));
  if (wanted.length === 0) throw new ConflictError(`Order ${order.id} has nothing left to ship`, 'items');
  return wanted.map((w, i) => {
    const line = order.lines.find((l) => l.id === w.lineId);
    if (!line) {
      throw new ValidationError(`items[${i}].line_id: ${w.lineId} is not a line of order ${order.id}`, [{ field: `items[${i}].line_id`, message: 'not a line of this order' }]);
    }
    return { lineId: line.id, productId: line.productId, variantId: line.variantId, sku: line.sku, quantity: w.quantity };
  });
}

/**
 * Shipments: buy the label (outside any transaction), then in one transaction ship exactly those
 * units of the order (orders commits their stock and moves fulfillment through `ShipmentOrders`),
 * store the shipment and its first tracking event, and record `shipment.created`. Cancelling
 * before pickup takes the units back into the order's reservation.
 */
@Injectable()
export class ShipmentsService {
  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly tx: TransactionService,
    private readonly carriers: CarrierRegistry,
    private readonly rates: ShippingRatesService,
    private readonly events: EventsService,
    @Inject(SHIPMENT_ORDERS) private readonly orders: ShipmentOrders,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'PUBLIC_BASE_URL' | 'PORT'>,
  ) {}

  /** A customer user, or its client-portal token, lists only its own customer's shipments. */
  async list(ctx: RequestContext, page: PageQuery, filters: ShipmentFilters): Promise<Page<Schemas['Shipment']>> {
    const scope = ctx.customerScope;
    const scoped = scope === null ? filters : { ...filters, customerId: scope };
    return (await this.repo.list(ctx, page, scoped)).map((s) => this.view(s));
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Shipment']> {
    return this.view(await this.getOrThrow(ctx, id));
  }

  /** The shipment of this tenant and mode (and, for a customer user or its token, of its customer's orders), or 404. */
  async getOrThrow(ctx: RequestContext, id: string): Promise<ShipmentEntity> {
    const shipment = await this.repo.findShipment(ctx, parseIdOr404(id, 'shp', 'shipment'));
    const scope = ctx.customerScope;
    if (!shipment || (scope !== null && shipment.customerId !== scope)) throw new NotFoundError('shipment', id);
    return shipment;
  }

  async create(ctx: RequestContext, body: Schemas['CreateShipmentRequest']): Promise<Schemas['Shipment']> {
    const order = await this.orders.get(ctx, body.order_id);
    const items = itemsOf(order, body.items);
    const carrier = this.rates.carrierOf(body.carrier, 'carrier');
    const packages = measureAll(body.packages);
    const shipTo = body.ship_to ?? addressOf(order.shippingAddress);
    const shipFrom = body.ship_from ?? (await this.rates.origin(ctx));
    const quote = await this.rates.quoteOf(ctx, carrier, body.service, { origin: shipFrom, destination: shipTo }, packages, order.currency, 'service');
    const shipmentId = newId('shp');
    // Bought before the transaction (a live carrier is a network call), keyed by our shipment id.
    const label = await carrier.purchaseLabel(ctx, {
      shipmentId, service: body.service, shipFrom, shipTo, packages, insuranceValue: body.insurance_value ?? null, signatureRequired: body.signature_required ?? false,
    }, quote);
    try {
      const created = await this.tx.run(ctx, async (txCtx) => {
        const allocations = await this.orders.ship(txCtx, order.id, items.map((i) => ({ lineId: i.lineId, quantity: i.quantity })), shipmentId);
        const shipment = await this.repo.insertShipment(txCtx, {
          id: shipmentId, orderId: order.id, customerId: order.customerId, status: 'label_created', carrier: carrier.code, service: body.service,
          trackingNumber: label.trackingNumber, items, allocations, packages, shipFrom, shipTo,
          insuranceValue: body.insurance_value ?? null, currency: order.currency, signatureRequired: body.signature_required ?? false,
          rateAmount: label.amount, inTransitAt: null, deliveredAt: null, cancelledAt: null,
        });
        await this.repo.insertEvent(txCtx, {
          id: newId('trk'), shipmentId, status: 'label_created', description: 'Label created', location: null, source: 'api', carrierEventId: null, occurredAt: shipment.createdAt,
        });
        const view = this.view(shipment);
        await this.events.record(txCtx, 'shipment.created', view);
        return view;
      });
      return created;
    } catch (err) {
      await carrier.voidLabel(ctx, shipmentId, label.trackingNumber).catch(() => undefined);
      throw err;
    }
  }

  /** Before pickup only (409 otherwise): the units go back into the order's reservation at the locations they left. */
  async cancel(ctx: RequestContext, id: string): Promise<Schemas['Shipment']> {
    const cancelled = await this.tx.run(ctx, async (txCtx) => {
      const shipment = await this.repo.findShipmentForUpdate(txCtx, parseIdOr404(id, 'shp', 'shipment'));
      if (!shipment) throw new NotFoundError('shipment', id);
      if (!canCancel(shipment.status)) {
        throw new ConflictError(`Shipment ${shipment.id} is ${shipment.status}: only a shipment not yet picked up (label_created) can be cancelled`, 'status');
      }
      const items = shipment.items.map((i) => ({ lineId: i.lineId, quantity: i.quantity }));
      await this.orders.unship(txCtx, shipment.orderId, items, shipment.allocations, shipment.id);
      const now = new Date();
      await this.repo.moveStatus(txCtx, shipment.id, shipment.status, 'cancelled', now);
      await this.repo.insertEvent(txCtx, {
        id: newId('trk'), shipmentId: shipment.id, status: 'cancelled', description: 'Shipment cancelled before pickup', location: null, source: 'api', carrierEventId: null, occurredAt: now,
      });
      return (await this.repo.findShipment(txCtx, shipment.id))!;
    });
    // After the commit: voiding a live label is a network call.
    await this.carriers.get(cancelled.carrier).voidLabel(ctx, cancelled.id, cancelled.trackingNumber);
    return this.view(cancelled);
  }

  view(s: ShipmentEntity): Schemas['Shipment'] {
    return toShipment(s, publicBaseUrl(this.config));
  }
}

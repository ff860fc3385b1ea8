import { Inject, Injectable } from '@nestjs/common';
import { TransactionService } from '../../database/transaction.service';
import { RequestContext, type Mode } from '../../platform/context/request-context';
import { AuthorizationError, ConflictError, InvalidRequestError, NotFoundError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { EventsService } from '../events/events.service';
import { CarrierRegistry } from './carriers/carrier-registry';
import { verifyCarrierSignature } from './carrier-signature';
import type { ShipmentEntity } from './entities/shipment.entity';
import { SHIPMENT_ORDERS, type ShipmentOrders } from './shipment-orders.port';
import { applyUpdate, SHIPMENT_EVENT, type TrackingSource, type TrackingUpdate } from './shipment-status';
import { toTrackingEvent } from './shipping.mappers';
import { ShippingRatesService } from './shipping-rates.service';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

const DESCRIPTIONS: Record<TrackingUpdate, string> = {
  in_transit: 'In transit',
  delivered: 'Delivered',
  exception: 'The carrier reported a problem',
};

interface Update {
  status: TrackingUpdate;
  source: TrackingSource;
  carrierEventId: string | null;
  description?: string;
  location?: string;
  occurredAt?: Date;
}

/**
 * Tracking: the history of a shipment, and updates from the carrier (its signed webhook) or, in
 * test mode, the simulate route. An update moves the shipment along `shipment-status.ts`, records
 * `shipment.<status>` and tells the order (`in_transit` → shipped, all shipments `delivered` →
 * delivered), all in one transaction.
 */
@Injectable()
export class ShipmentTrackingService {
  constructor(
    private readonly repo: ShipmentsRepository,
    private readonly tx: TransactionService,
    private readonly shipments: ShipmentsService,
    private readonly carriers: CarrierRegistry,
    private readonly rates: ShippingRatesService,
    private readonly events: EventsService,
    @Inject(SHIPMENT_ORDERS) private readonly orders: ShipmentOrders,
  ) {}

  async track(ctx: RequestContext, id: string): Promise<Schemas['ShipmentTracking']> {
    const shipment = await this.shipments.getOrThrow(ctx, id);
    const events = await this.repo.eventsOf(ctx, shipment.id);
    return { shipment_id: shipment.id, status: shipment.status, carrier: shipment.carrier, tracking_number: shipment.trackingNumber, events: events.map(toTrackingEvent) };
  }

  /** Test mode only: as if the carrier had sent the update. A move the status does not allow → 409. */
  async simulate(ctx: RequestContext, id: string, body: Schemas['SimulateTrackingRequest']): Promise<Schemas['Shipment']> {
    if (ctx.livemode) throw new AuthorizationError('Tracking updates can be simulated in test mode only');
    const outcome = await this.apply(ctx, parseIdOr404(id, 'shp', 'shipment'), {
      status: body.status, source: 'simulation', carrierEventId: null, description: body.description, location: body.location,
    });
    if (outcome.refused) {
      throw new ConflictError(`Shipment ${id} is ${outcome.shipment.status} and cannot move to ${body.status}`, 'status');
    }
    return this.shipments.view(outcome.shipment);
  }

  /** The carrier's webhook: verified against the tenant's derived secret, applied once per carrier event id. */
  async receive(
    requestId: string,
    carrierCode: string,
    tenantId: string,
    mode: Mode,
    rawBody: Buffer | undefined,
    signature: string | undefined,
    body: Schemas['CarrierTrackingUpdate'],
  ): Promise<Schemas['CarrierWebhookReceipt']> {
    const carrier = this.carriers.get(carrierCode);
    const secret = this.rates.secretFor(tenantId, mode, carrier.code);
    if (!rawBody || !verifyCarrierSignature(signature, rawBody, secret, Math.floor(Date.now() / 1000))) {
      throw new InvalidRequestError('X-Carrier-Signature does not verify: signed with another secret, altered, or older than 5 minutes', 'X-Carrier-Signature');
    }
    const ctx = RequestContext.system(`carrier-webhook:${carrier.code}`, tenantId, mode, requestId);
    const shipment = await this.repo.findByTracking(ctx, carrier.code, body.tracking_number);
    if (!shipment) return { received: true, applied: false };
    const outcome = await this.apply(ctx, shipment.id, {
      status: body.status, source: 'carrier', carrierEventId: body.id, description: body.description, location: body.location,
      occurredAt: body.occurred_at ? new Date(body.occurred_at) : undefined,
    });
    return { received: true, applied: outcome.applied };
  }

  private async apply(ctx: RequestContext, shipmentId: string, update: Update): Promise<{ shipment: ShipmentEntity; applied: boolean; refused: boolean }> {
    return this.tx.run(ctx, async (txCtx) => {
      const shipment = await this.repo.findShipmentForUpdate(txCtx, shipmentId);
      if (!shipment) throw new NotFoundError('shipment', shipmentId);
      const decision = applyUpdate(shipment.status, update.status);
      if (decision === 'refused') return { shipment, applied: false, refused: true };
      const occurredAt = update.occurredAt ?? new Date();
      const recorded = await this.repo.insertEvent(txCtx, {
        id: newId('trk'), shipmentId: shipment.id, status: update.status, description: update.description ?? DESCRIPTIONS[update.status],
        location: update.location ?? null, source: update.source, carrierEventId: update.carrierEventId, occurredAt,
      });
      if (!recorded || decision === 'repeat') return { shipment, applied: recorded, refused: false };
      await this.repo.moveStatus(txCtx, shipment.id, shipment.status, update.status, occurredAt);
      const moved = (await this.repo.findShipment(txCtx, shipment.id))!;
      await this.events.record(txCtx, SHIPMENT_EVENT[update.status], this.shipments.view(moved));
      if (update.status === 'in_transit') await this.orders.onShipmentProgress(txCtx, moved.orderId, 'in_transit');
      if (update.status === 'delivered') {
        const statuses = await this.repo.liveStatusesOfOrder(txCtx, moved.orderId);
        if (statuses.every((s) => s === 'delivered')) await this.orders.onShipmentProgress(txCtx, moved.orderId, 'delivered');
        else await this.orders.onShipmentProgress(txCtx, moved.orderId, 'in_transit');
      }
      return { shipment: moved, applied: true, refused: false };
    });
  }
}

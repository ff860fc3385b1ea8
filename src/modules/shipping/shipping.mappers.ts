import type { Schemas } from '../../platform/openapi/schemas';
import type { ShipmentEntity, ShipmentEventEntity } from './entities/shipment.entity';
import type { ShippingSettingsEntity } from './entities/shipping-settings.entity';
import type { ShippingZoneEntity, ZoneServiceValue } from './entities/shipping-zone.entity';
import { toMeasuredPackage } from './units';

export const DEFAULT_DIMENSIONAL_DIVISOR = 5000;

export function toZoneService(s: ZoneServiceValue): Schemas['ShippingZone']['services'][number] {
  return {
    service: s.service,
    name: s.name,
    currency: s.currency,
    estimated_days: s.estimatedDays,
    tiers: s.tiers.map((t) => ({ max_weight_grams: t.maxWeightGrams, amount: t.amount })),
    extra_per_kg: s.extraPerKg,
  };
}

export function toZone(z: ShippingZoneEntity): Schemas['ShippingZone'] {
  return {
    id: z.id,
    name: z.name,
    countries: z.countries,
    regions: z.regions,
    services: z.services.map(toZoneService),
    created_at: z.createdAt.toISOString(),
    updated_at: z.updatedAt.toISOString(),
  };
}

/** The stored settings, or the defaults while a tenant has changed nothing. */
export function toSettings(s: ShippingSettingsEntity | null): Schemas['ShippingSettings'] {
  return {
    origin: s?.origin ?? null,
    dimensional_divisor: s?.dimensionalDivisor ?? DEFAULT_DIMENSIONAL_DIVISOR,
    free_shipping_thresholds: (s?.freeShippingThresholds ?? []).map((t) => ({ currency: t.currency, min_subtotal: t.min_subtotal })),
    updated_at: s ? s.updatedAt.toISOString() : null,
  };
}

export function toShipment(s: ShipmentEntity, baseUrl: string): Schemas['Shipment'] {
  return {
    id: s.id,
    object: 'shipment',
    order_id: s.orderId,
    status: s.status,
    carrier: s.carrier,
    service: s.service,
    tracking_number: s.trackingNumber,
    label_url: `${baseUrl}/api/v1/shipments/${s.id}/label`,
    items: s.items.map((i) => ({ line_id: i.lineId, product_id: i.productId, variant_id: i.variantId, sku: i.sku, quantity: i.quantity })),
    packages: s.packages.map(toMeasuredPackage),
    ship_from: s.shipFrom,
    ship_to: s.shipTo,
    insurance_value: s.insuranceValue,
    currency: s.currency,
    signature_required: s.signatureRequired,
    rate_amount: s.rateAmount,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    in_transit_at: s.inTransitAt?.toISOString() ?? null,
    delivered_at: s.deliveredAt?.toISOString() ?? null,
    cancelled_at: s.cancelledAt?.toISOString() ?? null,
  };
}

export function toTrackingEvent(e: ShipmentEventEntity): Schemas['TrackingEvent'] {
  return { status: e.status, description: e.description, location: e.location, occurred_at: e.occurredAt.toISOString(), source: e.source };
}

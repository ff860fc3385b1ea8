import type { RequestContext } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';
import type { ZoneServiceValue } from '../entities/shipping-zone.entity';
import type { TrackingUpdate } from '../shipment-status';
import type { MeasuredPackage } from '../units';

/** What a carrier is asked to price: packages already in whole grams and millimetres. */
export interface RateRequest {
  origin: Schemas['ShippingAddress'] | null;
  destination: Schemas['ShippingAddress'];
  packages: MeasuredPackage[];
  /** Only quotes in this currency (when the carrier can choose, it quotes in it). */
  currency: string | null;
}

export interface CarrierQuote {
  service: string;
  serviceName: string;
  amount: number;
  currency: string;
  estimatedDays: number;
  billableWeightGrams: number;
}

/** The tenant's own data a built-in carrier prices from (read by the rates service, passed in). */
export interface CarrierTenantData {
  zones: { id: string; countries: string[]; regions: string[]; services: ZoneServiceValue[]; createdAt: Date }[];
  dimensionalDivisor: number;
}

export interface LabelRequest {
  /** Our shipment id: a live adapter sends it as the idempotency key, so a retried purchase buys one label. */
  shipmentId: string;
  service: string;
  shipFrom: Schemas['ShippingAddress'] | null;
  shipTo: Schemas['ShippingAddress'];
  packages: MeasuredPackage[];
  insuranceValue: number | null;
  signatureRequired: boolean;
}

export interface PurchasedLabel {
  trackingNumber: string;
  /** What the carrier charges for it. */
  amount: number;
  currency: string;
}

export interface CarrierTrackingEvent {
  eventId: string;
  trackingNumber: string;
  status: TrackingUpdate;
  description: string | null;
  location: string | null;
  occurredAt: Date | null;
}

/**
 * A carrier behind one interface. The built-in ones (`table_rate`, `sandbox`) compute everything
 * locally. A live adapter (a label-buying aggregator such as EasyPost or Shippo, or a carrier's own
 * API) is the seam: implement this interface in `carriers/<name>.carrier.ts`, read its credentials
 * from `src/config`, and add it to `CarrierRegistry`'s list. Its `quote` and `purchaseLabel` make
 * network calls: the shipments service calls `purchaseLabel` before its transaction (never inside one)
 * with the shipment id as idempotency key, and `voidLabel` when that transaction then fails. Its
 * tracking updates arrive at `POST /shipping/carriers/{code}/webhooks/{tenant_id}/{mode}`, signed
 * (`carrier-signature.ts`); an adapter whose carrier signs differently overrides `parseWebhook`.
 */
export interface CarrierAdapter {
  readonly code: string;
  readonly name: string;
  readonly kind: 'table_rate' | 'sandbox' | 'live';
  /** cm³ per kg (mm³ per g); the table-rate carrier takes the tenant's. */
  dimensionalDivisor(data: CarrierTenantData): number;
  services(data: CarrierTenantData): { code: string; name: string }[];
  quote(ctx: RequestContext, request: RateRequest, data: CarrierTenantData): Promise<CarrierQuote[]>;
  purchaseLabel(ctx: RequestContext, request: LabelRequest, quote: CarrierQuote): Promise<PurchasedLabel>;
  voidLabel(ctx: RequestContext, shipmentId: string, trackingNumber: string): Promise<void>;
}

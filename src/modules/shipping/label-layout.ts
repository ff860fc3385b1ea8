import type { Schemas } from '../../platform/openapi/schemas';
import type { ShipmentEntity } from './entities/shipment.entity';

/** What a 4 × 6 in label says, top to bottom: the renderer only places it. */
export interface LabelLayout {
  title: string;
  from: string[];
  to: string[];
  service: string;
  trackingNumber: string;
  details: string[];
}

function addressLines(a: Schemas['ShippingAddress'] | null): string[] {
  if (!a) return ['(no origin set)'];
  const cityLine = [a.city, a.region, a.postal_code].filter(Boolean).join(' ');
  return [a.name, a.company, a.line1, a.line2, cityLine, a.country].filter((l): l is string => Boolean(l));
}

function grams(g: number): string {
  return `${(g / 1000).toFixed(3)} kg`;
}

export function labelLayout(s: ShipmentEntity): LabelLayout {
  const weight = s.packages.reduce((n, p) => n + p.weightGrams, 0);
  const units = s.items.reduce((n, i) => n + i.quantity, 0);
  return {
    title: `${s.carrier.toUpperCase()} ${s.service.toUpperCase()}`,
    from: addressLines(s.shipFrom),
    to: addressLines(s.shipTo),
    service: `${s.carrier} / ${s.service}`,
    trackingNumber: s.trackingNumber,
    details: [
      `Shipment ${s.id}`,
      `Order ${s.orderId}`,
      `${s.packages.length} package(s), ${grams(weight)}, ${units} unit(s)`,
      ...(s.signatureRequired ? ['SIGNATURE REQUIRED'] : []),
      ...(s.insuranceValue !== null ? [`Insured value ${s.insuranceValue} ${s.currency}`] : []),
    ],
  };
}

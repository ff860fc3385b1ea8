import type { RequestContext } from '../../../platform/context/request-context';
import { checkedSum } from '../../../platform/money/checked-arithmetic';
import { billableGrams } from '../units';
import type { CarrierAdapter, CarrierQuote, CarrierTenantData, LabelRequest, PurchasedLabel, RateRequest } from './carrier-adapter';
import { tierPrice, zoneFor } from './rate-table';
import { deterministicTrackingNumber } from './tracking-number';

/**
 * The built-in carrier: prices from the tenant's zones and weight tiers (`rate-table.ts`) with the
 * tenant's dimensional divisor. It buys nothing anywhere: its labels are the merchant's own
 * (drop-off or local courier), numbered from the shipment id.
 */
export class TableRateCarrier implements CarrierAdapter {
  readonly code = 'table_rate';
  readonly name = 'Table rates';
  readonly kind = 'table_rate' as const;

  dimensionalDivisor(data: CarrierTenantData): number {
    return data.dimensionalDivisor;
  }

  services(data: CarrierTenantData): { code: string; name: string }[] {
    const seen = new Map<string, string>();
    for (const zone of data.zones) for (const s of zone.services) if (!seen.has(s.service)) seen.set(s.service, s.name);
    return [...seen].map(([code, name]) => ({ code, name }));
  }

  async quote(_ctx: RequestContext, request: RateRequest, data: CarrierTenantData): Promise<CarrierQuote[]> {
    const zone = zoneFor(data.zones, request.destination);
    if (!zone) return [];
    const weights = request.packages.map((p) => billableGrams(p, data.dimensionalDivisor));
    const quotes: CarrierQuote[] = [];
    for (const service of zone.services) {
      if (request.currency !== null && service.currency !== request.currency) continue;
      const prices = weights.map((w) => tierPrice(service, w));
      if (prices.some((p) => p === null)) continue;
      quotes.push({
        service: service.service,
        serviceName: service.name,
        amount: checkedSum(prices as number[], 'packages'),
        currency: service.currency,
        estimatedDays: service.estimatedDays,
        billableWeightGrams: weights.reduce((a, b) => a + b, 0),
      });
    }
    return quotes;
  }

  async purchaseLabel(_ctx: RequestContext, request: LabelRequest, quote: CarrierQuote): Promise<PurchasedLabel> {
    return { trackingNumber: deterministicTrackingNumber('TR', request.shipmentId), amount: quote.amount, currency: quote.currency };
  }

  async voidLabel(): Promise<void> {
    // Nothing was bought.
  }
}

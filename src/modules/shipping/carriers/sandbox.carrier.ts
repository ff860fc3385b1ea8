import type { RequestContext } from '../../../platform/context/request-context';
import { checkedSum } from '../../../platform/money/checked-arithmetic';
import { billableGrams } from '../units';
import type { CarrierAdapter, CarrierQuote, CarrierTenantData, LabelRequest, PurchasedLabel, RateRequest } from './carrier-adapter';
import { deterministicTrackingNumber } from './tracking-number';

const DIVISOR = 5000;
const STEP_GRAMS = 500;

/** base + per started 500 g of billable weight, per package. */
const SERVICES = [
  { code: 'ground', name: 'Sandbox Ground', base: 400, perStep: 100, days: 5 },
  { code: 'express', name: 'Sandbox Express', base: 900, perStep: 200, days: 2 },
] as const;

/**
 * A deterministic stand-in for a live carrier, for tests and integration work: serves every
 * destination, prices from the billable weight only, numbers labels from the shipment id, and
 * takes tracking updates through its signed webhook or the test-mode simulate route.
 */
export class SandboxCarrier implements CarrierAdapter {
  readonly code = 'sandbox';
  readonly name = 'Sandbox carrier';
  readonly kind = 'sandbox' as const;

  dimensionalDivisor(): number {
    return DIVISOR;
  }

  services(): { code: string; name: string }[] {
    return SERVICES.map((s) => ({ code: s.code, name: s.name }));
  }

  async quote(_ctx: RequestContext, request: RateRequest, _data: CarrierTenantData): Promise<CarrierQuote[]> {
    const weights = request.packages.map((p) => billableGrams(p, DIVISOR));
    return SERVICES.map((s) => ({
      service: s.code,
      serviceName: s.name,
      amount: checkedSum(weights.map((w) => s.base + Math.ceil(w / STEP_GRAMS) * s.perStep), 'packages'),
      currency: request.currency ?? 'usd',
      estimatedDays: s.days,
      billableWeightGrams: weights.reduce((a, b) => a + b, 0),
    }));
  }

  async purchaseLabel(_ctx: RequestContext, request: LabelRequest, quote: CarrierQuote): Promise<PurchasedLabel> {
    return { trackingNumber: deterministicTrackingNumber('SBX', request.shipmentId), amount: quote.amount, currency: quote.currency };
  }

  async voidLabel(): Promise<void> {
    // The sandbox keeps no labels.
  }
}

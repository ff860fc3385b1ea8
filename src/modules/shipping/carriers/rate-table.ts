import type { ZoneServiceValue } from '../entities/shipping-zone.entity';
import { ValidationError } from '../../../platform/errors/domain-errors';

const GRAMS_PER_KG = 1000;

/**
 * The price of one package of `billableGrams` under a service's tiers: the first tier whose
 * `maxWeightGrams` holds it; above the last, the last tier's amount plus `extraPerKg` for each
 * started kilogram beyond it; null when the service carries nothing that heavy. With tiers that grow
 * in weight and never fall in price (`assertTiers`), the price never falls as the weight grows.
 */
export function tierPrice(service: Pick<ZoneServiceValue, 'tiers' | 'extraPerKg'>, billableGrams: number): number | null {
  const tier = service.tiers.find((t) => billableGrams <= t.maxWeightGrams);
  if (tier) return tier.amount;
  const last = service.tiers[service.tiers.length - 1];
  if (!last || service.extraPerKg === null) return null;
  const startedKg = Math.ceil((billableGrams - last.maxWeightGrams) / GRAMS_PER_KG);
  return last.amount + startedKg * service.extraPerKg;
}

/** Tiers must grow strictly in weight and never fall in price: a heavier parcel never costs less. */
export function assertTiers(tiers: readonly { maxWeightGrams: number; amount: number }[], field: string): void {
  tiers.forEach((t, i) => {
    if (i === 0) return;
    const prev = tiers[i - 1];
    if (t.maxWeightGrams <= prev.maxWeightGrams) {
      throw new ValidationError(`${field}[${i}].max_weight_grams must be greater than the tier before it (${prev.maxWeightGrams})`, [
        { field: `${field}[${i}].max_weight_grams`, message: `must be greater than ${prev.maxWeightGrams}` },
      ]);
    }
    if (t.amount < prev.amount) {
      throw new ValidationError(`${field}[${i}].amount must not be less than the lighter tier's (${prev.amount}): a heavier parcel never costs less`, [
        { field: `${field}[${i}].amount`, message: `must be at least ${prev.amount}` },
      ]);
    }
  });
}

/**
 * The zone for a destination: one naming its region (`US-CA`) wins over one naming only its
 * country; among equals the oldest.
 */
export function zoneFor<Z extends { countries: string[]; regions: string[]; createdAt: Date }>(
  zones: readonly Z[],
  destination: { country: string; region?: string },
): Z | null {
  const region = destination.region ? `${destination.country}-${destination.region.toUpperCase()}` : null;
  const byAge = [...zones].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return (region ? byAge.find((z) => z.regions.includes(region)) : undefined) ?? byAge.find((z) => z.countries.includes(destination.country)) ?? null;
}

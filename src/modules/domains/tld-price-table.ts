/** One TLD's prices in minor units: the first registration year, and each further or renewal year. */
export interface TldPriceRow {
  tld: string;
  registrationAmount: number;
  renewalAmount: number;
  currency: string;
  source: 'default' | 'tenant';
  updatedAt: Date | null;
}

export const MAX_YEARS = 10;

/** Registering for `years`: the first year at the registration price, every further year at the renewal price. */
export function registrationPrice(row: TldPriceRow, years: number): number {
  return row.registrationAmount + (years - 1) * row.renewalAmount;
}

export function renewalPrice(row: TldPriceRow, years: number): number {
  return years * row.renewalAmount;
}

/** The table for 1 to 10 years, as `GET /domains/check/{name}` shows it. */
export function priceTable(row: TldPriceRow): { years: number; registration: number; renewal: number }[] {
  return Array.from({ length: MAX_YEARS }, (_, i) => ({ years: i + 1, registration: registrationPrice(row, i + 1), renewal: renewalPrice(row, i + 1) }));
}

/** The operator's defaults overlaid with a tenant's own rows (a tenant row wins), sorted by TLD. */
export function mergePriceTables(defaults: readonly TldPriceRow[], tenant: readonly TldPriceRow[]): TldPriceRow[] {
  const merged = new Map(defaults.map((row) => [row.tld, row]));
  for (const row of tenant) merged.set(row.tld, row);
  return [...merged.values()].sort((a, b) => a.tld.localeCompare(b.tld));
}

/**
 * A `DateFilter` query value as a Date. The query DTO generated from the spec has already refused
 * anything that is not an ISO 8601 date or date-time `new Date` reads; `alias` is the contract's
 * short name for the same filter (`from` for `date_from`), used when the long one is absent.
 */
export function dateFilter(value: string | undefined, alias?: string): Date | undefined {
  const raw = value ?? alias;
  return raw === undefined ? undefined : new Date(raw);
}

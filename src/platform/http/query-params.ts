import { InvalidRequestError } from '../errors/domain-errors';

/** An optional enum filter from the query string; a value outside the list → 400 naming the parameter. */
export function enumParam<T extends string>(query: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !allowed.includes(raw as T)) {
    throw new InvalidRequestError(`${name} must be one of: ${allowed.join(', ')}`, name);
  }
  return raw as T;
}

/** An optional ISO 8601 date filter; `aliases` are accepted too (e.g. `from` for `date_from`). */
export function dateParam(query: Record<string, unknown>, name: string, aliases: string[] = []): Date | undefined {
  const key = [name, ...aliases].find((k) => query[k] !== undefined && query[k] !== '');
  if (!key) return undefined;
  const raw = String(query[key]);
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw new InvalidRequestError(`${key} must be an ISO 8601 date or date-time`, key);
  return date;
}

/** An optional boolean filter: true/false/1/0. */
export function boolParam(query: Record<string, unknown>, name: string): boolean | undefined {
  const raw = query[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new InvalidRequestError(`${name} must be true or false`, name);
}

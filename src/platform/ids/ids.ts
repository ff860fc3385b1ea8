import { TypeID, typeid } from 'typeid-js';
import { NotFoundError } from '../errors/domain-errors';

/** Every id prefix the API hands out (TypeID: prefix + base32 UUIDv7). */
export const ID_PREFIXES = [
  'prod', 'var', 'tier', 'cus', 'addr', 'ord', 'pi', 're', 'dp', 'txn', 'inv', 'svc', 'dom', 'tkt',
  'loc', 'shp', 'we', 'evt', 'whd', 'key', 'usr', 'ten', 'plan', 'req', 'mov', 'alrt', 'line', 'rt', 'fam', 'wha', 'pm', 'shz', 'rate', 'trk',
  'tkm', // a ticket's message
  'oac', 'oag', 'ocd', 'otk', // OAuth: client, grant (an app's authorization), code, token
] as const;

export type IdPrefix = (typeof ID_PREFIXES)[number];

export function newId(prefix: IdPrefix): string {
  return typeid(prefix).toString();
}

/** True when `value` is a well-formed id of the given type. */
export function isId(value: unknown, prefix: IdPrefix): value is string {
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) return false;
  try {
    return TypeID.fromString(value).getType() === prefix;
  } catch {
    return false;
  }
}

/**
 * Returns the id when it is well formed, else answers 404 the way an unknown id would:
 * a malformed id names nothing that exists, so it is "not found", never a 400 or a 500.
 */
export function parseIdOr404(value: string, prefix: IdPrefix, resource: string): string {
  if (!isId(value, prefix)) throw new NotFoundError(resource, value);
  return value;
}

/**
 * A UUIDv7 for internal rows whose order matters among rows of one transaction (they share its
 * `now()`): time-ordered, and increasing within this process even inside one millisecond.
 */
export function newTimeOrderedUuid(): string {
  return typeid().toUUID();
}

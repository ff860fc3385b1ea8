import { createHmac } from 'node:crypto';

/** What makes two requests "the same request" for one Idempotency-Key. */
export interface RequestFingerprint {
  method: string;
  /** The URL path plus its query string with parameters sorted (see `fingerprintPath`). */
  path: string;
  /** The parsed JSON body as received (before validation pipes); undefined when there is none. */
  body: unknown;
}

/**
 * `/api/v1/x?b=2&a=1` → `/api/v1/x?a=1&b=2`: the path as sent, and the query parameters sorted by
 * name (stable for repeated names) and re-encoded, so parameter order does not make a new request.
 */
export function fingerprintPath(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = new URLSearchParams(url.slice(at + 1));
  params.sort();
  const query = params.toString();
  return query ? `${url.slice(0, at)}?${query}` : url.slice(0, at);
}

/** JSON with object keys sorted at every depth, so key order does not make a new request. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(sortKeys(value)) ?? '';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** sha256 hex of method, path and canonical body: what `idempotency_keys.request_hash` stores. */
/**
 * Keyed (HMAC-SHA256) so that a stored hash of a body holding a card number cannot be
 * brute-forced back into the number by someone who reads the table.
 */
export function requestHash(fp: RequestFingerprint, key: string): string {
  return createHmac('sha256', key)
    .update(`${fp.method.toUpperCase()}\n${fp.path}\n${canonicalJson(fp.body)}`)
    .digest('hex');
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Mode } from '../../platform/context/request-context';

/** How old a signed carrier request may be: a captured request cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * The secret a carrier signs one tenant's (and mode's) tracking updates with: derived from the
 * server's HASH_SECRET, so it needs no storage, is the same every time it is asked for, and changes
 * when HASH_SECRET is rotated.
 */
export function carrierWebhookSecret(hashSecret: string, tenantId: string, mode: Mode, carrier: string): string {
  const key = createHmac('sha256', hashSecret).update(`carrier-webhook:v1:${tenantId}:${mode}:${carrier}`).digest('base64url');
  return `whsec_${key}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the whole secret string. */
export function signCarrierPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** True when the header carries a v1 signature of this body by this secret, made within the tolerance of `nowSeconds`. */
export function verifyCarrierSignature(header: string | undefined, rawBody: Buffer, secret: string, nowSeconds: number): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((kv) => {
    const i = kv.indexOf('=');
    return [kv.slice(0, i).trim(), kv.slice(i + 1).trim()] as const;
  }));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = signCarrierPayload(secret, t, rawBody).split('v1=')[1];
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(given, 'hex'));
}

import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The signature headers of one delivery attempt: our `X-Webhook-Signature` (hex HMAC-SHA256 of
 * the raw body keyed with the whole `whsec_…` string, as the user saw it) and the Standard
 * Webhooks trio: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` keyed with the secret's
 * base64-decoded part, exactly as the reference library signs (the spec checks the two agree),
 * with node's native HMAC instead of the library's JavaScript SHA-256.
 */
export function signatureHeaders(secret: string, eventId: string, body: string, at = new Date()): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'X-Webhook-Signature': createHmac('sha256', keysOf(secret).whole).update(body).digest('hex'),
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${createHmac('sha256', keysOf(secret).standard).update(`${eventId}.${timestamp}.${body}`).digest('base64')}`,
  };
}

const keys = new Map<string, { whole: KeyObject; standard: KeyObject }>();

/**
 * The HMAC keys of a `whsec_…` secret: the whole string (X-Webhook-Signature) and its base64-decoded
 * part (Standard Webhooks). Remembered: a worker signs with few secrets, many times.
 */
function keysOf(secret: string): { whole: KeyObject; standard: KeyObject } {
  let found = keys.get(secret);
  if (!found) {
    const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
    found = { whole: createSecretKey(Buffer.from(secret, 'utf8')), standard: createSecretKey(Buffer.from(encoded, 'base64')) };
    if (keys.size >= 10_000) keys.clear();
    keys.set(secret, found);
  }
  return found;
}

import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The signature headers of one delivery attempt: our `X-Webhook-Signature` (hex HMAC-SHA256 of
 * the raw body keyed with the whole `whsec_…` string, as the user saw it) and the Standard
 * Webhooks trio, signed by the reference library so its verifiers accept it.
 */
export function signatureHeaders(secret: string, eventId: string, body: string, at = new Date()): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'X-Webhook-Signature': createHmac('sha256', secret).update(body).digest('hex'),
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': new Webhook(secret).sign(eventId, new Date(timestamp * 1000), body),
  };
}

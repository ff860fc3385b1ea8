import Stripe from 'stripe';
import type { AppConfig } from '../../../../config/config';

/** The official Stripe SDK client, built from STRIPE_SECRET_KEY and STRIPE_API_BASE; null unless PAYMENT_PROVIDER=stripe. */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/**
 * The SDK retries network failures itself, reusing the request's Idempotency-Key, so a retried
 * charge never charges twice; beyond that an answer counts as lost (the payment stays `processing`
 * until the reconciliation job asks Stripe).
 */
export function createStripeClient(config: AppConfig): Stripe | null {
  if (config.PAYMENT_PROVIDER !== 'stripe' || !config.STRIPE_SECRET_KEY) return null;
  const base = new URL(config.STRIPE_API_BASE);
  const protocol = base.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(config.STRIPE_SECRET_KEY, {
    host: base.hostname,
    port: base.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 2,
    timeout: 30_000,
    appInfo: { name: 'cbapi' },
  });
}

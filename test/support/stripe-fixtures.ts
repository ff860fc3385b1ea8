import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './app';
import type { HttpClient } from './http-client';
import { KeyedShop } from './keyed-shop';
import { StripeStandIn } from './stripe-stand-in';

/**
 * The API configured for live payments through Stripe (PAYMENT_PROVIDER=stripe), with the Stripe
 * API played by a local stand-in. The environment is restored when it closes.
 */
export async function startLiveStripeApp(): Promise<{ t: TestApp; stripe: StripeStandIn; close: () => Promise<void> }> {
  const stripe = await new StripeStandIn().start();
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(stripe.env())) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  const t = await startTestApp();
  const close = async () => {
    await t.close();
    await stripe.stop();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  return { t, stripe, close };
}

/** A live-mode shop: a KeyedShop with a live key, whose card payments go to Stripe. */
export class LiveShop extends KeyedShop {
  constructor(http: HttpClient, db: DataSource) {
    super(http, db, 'live');
  }

  /** Our intent's Stripe PaymentIntent id. */
  async processorRef(intentId: string): Promise<string> {
    const [row] = await this.db.query('SELECT processor_ref FROM payment_intents WHERE tenant_id = $1 AND id = $2', [this.tenantId, intentId]);
    return row.processor_ref;
  }
}

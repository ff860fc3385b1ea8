import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './app';
import { setEnv } from './env';
import type { HttpClient } from './http-client';
import { KeyedShop } from './keyed-shop';
import { ownerDb } from './owner-db';
import { StripeStandIn } from './stripe-stand-in';

/**
 * The API configured for live payments through Stripe (PAYMENT_PROVIDER=stripe), with the Stripe
 * API played by a local stand-in. The environment is restored when it closes.
 */
export async function startLiveStripeApp(): Promise<{ t: TestApp; stripe: StripeStandIn; close: () => Promise<void> }> {
  const stripe = await new StripeStandIn().start();
  const restoreEnv = setEnv(stripe.env());
  const t = await startTestApp();
  const close = async () => {
    await t.close();
    await stripe.stop();
    restoreEnv();
  };
  return { t, stripe, close };
}

/** `startLiveStripeApp` with a set-up LiveShop named `name` and the owner's database connection. */
export async function startLiveStripeShop(name: string): Promise<{ t: TestApp; stripe: StripeStandIn; close: () => Promise<void>; db: DataSource; shop: LiveShop }> {
  const app = await startLiveStripeApp();
  const db = await ownerDb();
  return { ...app, db, shop: await new LiveShop(app.t.http, db).setUp(name) };
}

/** POSTs a Stripe event to /webhooks/stripe as Stripe would: signed with the stand-in's secret, or with `secret`. */
export function deliverStripeEvent(t: TestApp, stripe: StripeStandIn, event: Record<string, unknown>, secret?: string) {
  const { body, signature } = stripe.signed(event, secret);
  return t.http.post('/api/v1/webhooks/stripe', undefined, { rawBody: body, headers: { 'Stripe-Signature': signature } });
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

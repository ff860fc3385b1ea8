import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './app';
import type { HttpClient } from './http-client';
import { createApiKey, signUpTenant } from './factories';
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

/** A live-mode shop: a tenant without rate limits in the way, its live key, a customer, and open invoices to pay. */
export class LiveShop {
  tenantId = '';
  key = '';
  ownerToken = '';
  customerId = '';

  constructor(private readonly http: HttpClient, private readonly db: DataSource) {}

  async setUp(name: string): Promise<this> {
    const owner = await signUpTenant(this.http, name);
    this.tenantId = owner.tenantId;
    this.ownerToken = owner.accessToken;
    await this.db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [owner.tenantId]);
    this.key = (await createApiKey(this.http, owner.accessToken, { mode: 'live' })).secret;
    const customer = await this.http.post('/api/v1/customers', { email: `live-${randomUUID()}@example.test`, first_name: 'Live', last_name: 'Payer' }, { token: this.key });
    if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
    this.customerId = customer.body.data.id;
    return this;
  }

  async invoice(total = 10000, currency = 'usd'): Promise<{ id: string; total: number }> {
    const res = await this.http.post('/api/v1/invoices', {
      customer_id: this.customerId, currency, lines: [{ description: 'Plan', quantity: 1, unit_amount: total }],
    }, { token: this.key });
    if (res.status !== 201) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  intent(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return this.http.post('/api/v1/payments/intents', { currency: 'usd', payment_method: 'card', ...body }, { token: this.key, headers });
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.http.post(path, body, { token: this.key, headers });
  }

  async get(path: string) {
    const res = await this.http.get(path, { token: this.key });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  /** Ledger rows (type, status, amount) of every payment of an invoice, straight from the database. */
  async ledgerOf(targetId: string): Promise<{ type: string; status: string; amount: number }[]> {
    return this.db.query(
      `SELECT t.type, t.status, t.amount::int AS amount FROM transactions t
         JOIN payment_intents i ON i.id = t.intent_id AND i.tenant_id = t.tenant_id AND i.mode = t.mode
        WHERE i.tenant_id = $1 AND i.target_id = $2 ORDER BY t.created_at, t.id`,
      [this.tenantId, targetId],
    );
  }

  /** Our intent's Stripe PaymentIntent id. */
  async processorRef(intentId: string): Promise<string> {
    const [row] = await this.db.query('SELECT processor_ref FROM payment_intents WHERE tenant_id = $1 AND id = $2', [this.tenantId, intentId]);
    return row.processor_ref;
  }
}

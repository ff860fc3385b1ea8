import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { HttpClient } from './http-client';
import { createApiKey } from './factories';
import { signUpShop } from './fixtures';

/**
 * A shop acting with one API key of one mode: a tenant without rate limits in the way, the key, a
 * customer, open invoices, and the calls the payment tests make with that key. PaymentShop (test
 * mode, plus stock to order) and LiveShop (live mode, through Stripe) are the two kinds.
 */
export class KeyedShop {
  tenantId = '';
  key = '';
  ownerToken = '';
  customerId = '';

  constructor(
    protected readonly http: HttpClient,
    protected readonly db: DataSource,
    private readonly mode: 'test' | 'live',
  ) {}

  async setUp(name: string): Promise<this> {
    const owner = await signUpShop(this.http, name);
    this.tenantId = owner.tenantId;
    this.ownerToken = owner.accessToken;
    this.key = (await createApiKey(this.http, owner.accessToken, { mode: this.mode })).secret;
    const customer = await this.http.post('/api/v1/customers', { email: `payer-${randomUUID()}@example.test`, first_name: 'Pay', last_name: 'Er' }, { token: this.key });
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

  /** Ledger rows (type, status, amount) of every payment of an invoice or order, straight from the database. */
  async ledgerOf(targetId: string): Promise<{ type: string; status: string; amount: number }[]> {
    return this.db.query(
      `SELECT t.type, t.status, t.amount::int AS amount FROM transactions t
         JOIN payment_intents i ON i.id = t.intent_id AND i.tenant_id = t.tenant_id AND i.mode = t.mode
        WHERE i.tenant_id = $1 AND i.target_id = $2 ORDER BY t.created_at, t.id`,
      [this.tenantId, targetId],
    );
  }
}

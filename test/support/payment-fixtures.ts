import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { HttpClient } from './http-client';
import { createApiKey } from './factories';
import { signUpShop } from './fixtures';
import type { QueryOf, TypedApi } from './typed-api';

/** The sandbox's always-successful card, valid for two more years. */
export const OK_CARD = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' };

const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

/**
 * A sandbox shop for payment tests: a tenant without rate limits in the way, its test-mode key, a
 * customer, and helpers that make an open invoice or a stocked order to pay.
 */
export class PaymentShop {
  tenantId = '';
  key = '';
  customerId = '';
  private productId = '';

  constructor(private readonly http: HttpClient, private readonly db: DataSource) {}

  async setUp(name: string): Promise<this> {
    const owner = await signUpShop(this.http, name);
    this.tenantId = owner.tenantId;
    this.key = (await createApiKey(this.http, owner.accessToken, { mode: 'test' })).secret;
    const customer = await this.http.post('/api/v1/customers', { email: `payer-${randomUUID()}@example.test`, first_name: 'Pay', last_name: 'Er' }, { token: this.key });
    if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
    this.customerId = customer.body.data.id;
    const location = await this.http.post('/api/v1/locations', { name: 'Main', code: `L${randomUUID().slice(0, 6)}` }, { token: this.key });
    const product = await this.http.post('/api/v1/products', { name: 'Widget', sku: `PAY-${randomUUID().slice(0, 8)}`, price: 2500 }, { token: this.key });
    if (product.status !== 201) throw new Error(`product: ${product.status} ${JSON.stringify(product.body)}`);
    this.productId = product.body.data.id;
    await this.http.post(`/api/v1/inventory/${this.productId}/adjust`, { quantity: 1000, reason: 'received', location: location.body.data.id }, { token: this.key });
    return this;
  }

  async invoice(total = 10000): Promise<{ id: string; total: number }> {
    const res = await this.http.post('/api/v1/invoices', {
      customer_id: this.customerId, currency: 'usd', lines: [{ description: 'Plan', quantity: 1, unit_amount: total }],
    }, { token: this.key });
    if (res.status !== 201) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  async order(quantity = 2): Promise<{ id: string; total: number }> {
    const res = await this.http.post('/api/v1/orders', {
      customer_id: this.customerId, shipping_address: ADDRESS, items: [{ product_id: this.productId, quantity }],
    }, { token: this.key });
    if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
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

/** Counts of HTTP statuses, e.g. { 201: 1, 409: 19 }. */
export function statusCounts(responses: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** The sandbox processor's test cards. */
export const CARDS = {
  ok: '4242424242424242',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
  threeDs: '4000002760003184',
  dispute: '4000000000000259',
};
/** A card of the given number, valid for two more years. */
export const card = (number: string) => ({ number, exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' });

/**
 * Card payments of the payments e2e files, through the typed client acting with a test-mode key:
 * `pay` sends any body (validation is under test), `payOk` insists on a 201, `ledger` lists transactions.
 */
export class CardPayments {
  constructor(private readonly api: () => TypedApi) {}

  pay(body: Record<string, unknown> = {}, as?: string, headers: Record<string, string> = {}) {
    const api = as === undefined ? this.api() : this.api().as(as);
    return api.send('post', '/payments/intents', { body: { amount: 10000, currency: 'usd', payment_method: 'card', card: card(CARDS.ok), ...body }, headers });
  }

  async payOk(body: Record<string, unknown> = {}) {
    const res = await this.pay(body);
    if (res.status !== 201) throw new Error(`pay: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  async ledger(query: QueryOf<'/transactions', 'get'>, as?: string) {
    const res = await (as === undefined ? this.api() : this.api().as(as)).get('/transactions', { query });
    if (res.status !== 200) throw new Error(`transactions: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }
}

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { HttpClient } from './http-client';
import { KeyedShop } from './keyed-shop';
import type { QueryOf, TypedApi } from './typed-api';

/** The sandbox's always-successful card, valid for two more years. */
export const OK_CARD = { number: '4242424242424242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123' };

const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

/** A sandbox shop for payment tests: a KeyedShop with a test-mode key and a stocked product to order. */
export class PaymentShop extends KeyedShop {
  private productId = '';

  constructor(http: HttpClient, db: DataSource) {
    super(http, db, 'test');
  }

  override async setUp(name: string): Promise<this> {
    await super.setUp(name);
    const location = await this.http.post('/api/v1/locations', { name: 'Main', code: `L${randomUUID().slice(0, 6)}` }, { token: this.key });
    const product = await this.http.post('/api/v1/products', { name: 'Widget', sku: `PAY-${randomUUID().slice(0, 8)}`, price: 2500 }, { token: this.key });
    if (product.status !== 201) throw new Error(`product: ${product.status} ${JSON.stringify(product.body)}`);
    this.productId = product.body.data.id;
    await this.http.post(`/api/v1/inventory/${this.productId}/adjust`, { quantity: 1000, reason: 'received', location: location.body.data.id }, { token: this.key });
    return this;
  }

  async order(quantity = 2): Promise<{ id: string; total: number }> {
    const res = await this.http.post('/api/v1/orders', {
      customer_id: this.customerId, shipping_address: ADDRESS, items: [{ product_id: this.productId, quantity }],
    }, { token: this.key });
    if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
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

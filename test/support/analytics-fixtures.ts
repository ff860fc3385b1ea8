import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransactionService } from '../../src/database/transaction.service';
import { OrderRollupsSubscriber } from '../../src/modules/analytics/order-rollups.subscriber';
import { RollupsService } from '../../src/modules/analytics/rollups.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from './app';
import { createApiKey, signUpTenant } from './factories';
import { OK_CARD } from './payment-fixtures';

export interface StoredEvent {
  id: string;
  tenant_id: string;
  mode: 'live' | 'test';
  type: string;
  data: { object: Record<string, unknown> };
  created_at: Date;
}

/**
 * A sandbox shop for analytics tests: its own tenant (no rate limits in the way), a test key, a
 * usd and an eur product in stock, and helpers that place, pay, refund and cancel orders through
 * the API and hand the shop's order events to the analytics subscriber (the relay's work, for this
 * tenant only, so other test files' events are left to their own workers).
 */
export class AnalyticsShop {
  tenantId = '';
  key = '';
  readonly products: Record<'usd' | 'eur', string> = { usd: '', eur: '' };
  readonly customers: string[] = [];

  constructor(private readonly t: TestApp, private readonly db: DataSource) {}

  async setUp(name: string, customers = 2): Promise<this> {
    const owner = await signUpTenant(this.t.http, name);
    this.tenantId = owner.tenantId;
    await this.db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [owner.tenantId]);
    this.key = (await createApiKey(this.t.http, owner.accessToken, { mode: 'test' })).secret;
    for (let i = 0; i < customers; i++) {
      const c = await this.post('/api/v1/customers', { email: `buyer-${randomUUID()}@example.test`, first_name: 'Buy', last_name: `Er${i}` });
      this.customers.push(c.id);
    }
    const location = await this.post('/api/v1/locations', { name: 'Main', code: `L${randomUUID().slice(0, 6)}` });
    for (const [currency, price] of [['usd', 2500], ['eur', 1999]] as const) {
      const product = await this.post('/api/v1/products', { name: `Widget ${currency}`, sku: `AN-${randomUUID().slice(0, 8)}`, price, currency, categories: ['widgets'] });
      this.products[currency] = product.id;
      await this.post(`/api/v1/inventory/${product.id}/adjust`, { quantity: 1000, reason: 'received', location: location.id });
    }
    return this;
  }

  /** POSTs as the shop and answers the created (or changed) resource, `data` of the envelope. */
  async post<T = { id: string }>(path: string, body: unknown): Promise<T> {
    const res = await this.t.http.post(path, body, { token: this.key });
    if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  get(path: string, query: Record<string, string | number | undefined> = {}, headers: Record<string, string> = {}) {
    return this.t.http.get(path, { token: this.key, query, headers });
  }

  /** An order of `quantity` of the currency's product, shipped to the country and region. */
  async order(currency: 'usd' | 'eur', quantity: number, options: { customer?: number; country?: string; region?: string } = {}): Promise<{ id: string; total: number }> {
    return this.post('/api/v1/orders', {
      customer_id: this.customers[options.customer ?? 0],
      items: [{ product_id: this.products[currency], quantity }],
      shipping_address: { first_name: 'Ada', last_name: 'L', line1: '1 Main St', city: 'Town', postal_code: '1', country: options.country ?? 'US', region: options.region ?? 'NY' },
    });
  }

  /** Pays the order in full by card; returns the payment id. */
  async pay(order: { id: string; total: number }, currency: 'usd' | 'eur'): Promise<string> {
    const intent = await this.post('/api/v1/payments/intents', { amount: order.total, currency, payment_method: 'card', order_id: order.id, card: OK_CARD });
    return intent.id;
  }

  refund(paymentId: string, amount?: number) {
    return this.post(`/api/v1/payments/${paymentId}/refund`, amount === undefined ? {} : { amount });
  }

  cancel(orderId: string, refund = false) {
    return this.post(`/api/v1/orders/${orderId}/cancel`, { reason: 'customer_request', refund });
  }

  /** This shop's events, oldest first. */
  events(): Promise<StoredEvent[]> {
    return this.db.query(`SELECT id, tenant_id, mode, type, data, created_at FROM events WHERE tenant_id = $1 ORDER BY created_at, id`, [this.tenantId]);
  }

  /** Hands each event to the analytics subscriber the way the relay does (in a transaction of the event's tenant and mode). */
  async rollUp(events?: StoredEvent[]): Promise<number> {
    const subscriber = this.t.app.get(OrderRollupsSubscriber);
    const tx = this.t.app.get(TransactionService);
    let handled = 0;
    for (const e of events ?? (await this.events())) {
      if (!subscriber.wants(e.type)) continue;
      const ctx = RequestContext.system('outbox-relay', e.tenant_id, e.mode, `relay_${e.id}`);
      await tx.run(ctx, (txCtx) => subscriber.handle(txCtx, { id: e.id, tenantId: e.tenant_id, mode: e.mode, type: e.type, data: e.data, createdAt: new Date(e.created_at) }));
      handled++;
    }
    return handled;
  }

  rebuild() {
    return this.t.app.get(RollupsService).rebuild(RequestContext.system('analytics-rebuild', this.tenantId, 'test'));
  }

  /** The orders' own figures per currency, straight from the orders table (placed in [start, end), or all). */
  async orderTotals(range?: { start: string; end: string }): Promise<Record<string, { revenue: number; orders: number; refunds: number; cancelled: number; units: number }>> {
    const rows: { currency: string; revenue: string; orders: string; refunds: string; cancelled: string; units: string }[] = await this.db.query(
      `SELECT o.currency,
              coalesce(sum(o.total) FILTER (WHERE o.status <> 'cancelled'), 0) AS revenue,
              count(*) FILTER (WHERE o.status <> 'cancelled') AS orders,
              coalesce(sum(o.amount_refunded) FILTER (WHERE o.status <> 'cancelled'), 0) AS refunds,
              count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled,
              coalesce(sum((SELECT sum(l.quantity) FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id)) FILTER (WHERE o.status <> 'cancelled'), 0) AS units
         FROM orders o
        WHERE o.tenant_id = $1 AND o.mode = 'test' AND ($2::timestamptz IS NULL OR (o.created_at >= $2 AND o.created_at < $3))
        GROUP BY o.currency`,
      [this.tenantId, range?.start ?? null, range?.end ?? null],
    );
    return Object.fromEntries(rows.map((r) => [r.currency, { revenue: Number(r.revenue), orders: Number(r.orders), refunds: Number(r.refunds), cancelled: Number(r.cancelled), units: Number(r.units) }]));
  }
}

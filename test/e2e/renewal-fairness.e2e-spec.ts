import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransactionService } from '../../src/database/transaction.service';
import { EventsService } from '../../src/modules/events/events.service';
import { RenewalsService } from '../../src/modules/subscriptions/renewals.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { createApiKey, type TenantFixture } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import { ownerDb } from '../support/owner-db';
import { WebhookReceiver } from '../support/webhook-receiver';

const BATCH = 10;
const FAILING = 50;
const RUN_AT = new Date('2020-03-01T00:00:00Z');

/** A receiver that holds every request for 3 s: tenant A's slow endpoint. */
function slowServer(): { start: () => Promise<string>; stop: () => Promise<void> } {
  let server: Server | undefined;
  return {
    async start() {
      server = createServer((req, res) => {
        req.resume();
        setTimeout(() => res.end('ok'), 3000);
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/slow`;
    },
    async stop() {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
}

interface Shop {
  tenant: TenantFixture;
  key: string;
  productId: string;
  customerId: string;
}

/**
 * Tenant A has 50 services whose renewal throws every time (their customer record is gone: legacy
 * data) and a slow webhook endpoint with a backlog; tenant B has one service due later than all of
 * A's. Before, the sweep took the oldest 10 due rows — always A's failing ones — so B was never
 * renewed. Now each batch takes every tenant's oldest row first, and a failing row backs off.
 */
describe('renewal sweeps are fair between tenants and back off failing rows (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let db: DataSource;
  let renewals: RenewalsService;
  const slow = slowServer();
  const quick = new WebhookReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapirenewfair', { RENEWAL_BATCH_SIZE: String(BATCH), OUTBOX_POLL_MS: '100' }));
    db = await ownerDb();
    renewals = t.app.get(RenewalsService);
  });
  afterAll(async () => {
    await stopApp?.();
    await slow.stop();
    await quick.stop();
  });

  async function shop(name: string): Promise<Shop> {
    const tenant = await signUpShop(t.http, name);
    const key = (await createApiKey(t.http, tenant.accessToken, { mode: 'live' })).secret;
    const product = await t.http.post('/api/v1/products', { sku: `PLAN-${randomUUID().slice(0, 8)}`, name: 'Plan', price: 0, type: 'subscription', label_name: `plan-${randomUUID().slice(0, 8)}` }, { token: key });
    await t.http.post(`/api/v1/products/${product.body.data.id}/tiers`, { label_name: 'basic', name: 'Basic', price: 1000, billing_cycle: 'monthly' }, { token: key });
    const customer = await t.http.post('/api/v1/customers', { email: `c-${randomUUID().slice(0, 8)}@example.com`, first_name: 'C', last_name: 'Ustomer' }, { token: key });
    return { tenant, key, productId: product.body.data.id, customerId: customer.body.data.id };
  }

  async function services(s: Shop, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await t.http.post('/api/v1/services', { product_id: s.productId, tier: 'basic', customer_id: s.customerId, activate: true }, { token: s.key });
      expect(res.status).toBe(201);
      ids.push(res.body.data.id);
    }
    return ids;
  }

  it("tenant B's renewal and its webhook happen in the first run while tenant A's 50 renewals keep failing", async () => {
    const a = await shop('Failing renewals shop');
    const b = await shop('Healthy renewals shop');
    const aServices = await services(a, FAILING);
    const [bService] = await services(b, 1);

    // Every service due in 2020, A's before B's; A's customer record is gone (legacy data), so its renewals throw.
    await db.query(
      `UPDATE services SET current_period_start = timestamptz '2020-01-01' + make_interval(secs => n),
              current_period_end = timestamptz '2020-02-01' + make_interval(secs => n)
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM services WHERE tenant_id = $1) o
        WHERE services.id = o.id`,
      [a.tenant.tenantId],
    );
    await db.query(`UPDATE services SET customer_id = $2 WHERE tenant_id = $1`, [a.tenant.tenantId, `cus_${randomUUID().replace(/-/g, '').slice(0, 26)}`]);
    await db.query(
      `UPDATE services SET current_period_start = '2020-01-15', current_period_end = '2020-02-15' WHERE tenant_id = $1`,
      [b.tenant.tenantId],
    );

    // A's slow endpoint has a backlog; B listens for its renewal invoice.
    expect((await t.http.post('/api/v1/webhooks', { url: await slow.start(), events: ['*'] }, { token: a.key })).status).toBe(201);
    expect((await t.http.post('/api/v1/webhooks', { url: await quick.start(), events: ['invoice.created'] }, { token: b.key })).status).toBe(201);
    const aCtx = RequestContext.system('test', a.tenant.tenantId, 'live');
    await t.app.get(TransactionService).run(aCtx, async (tx) => {
      for (let i = 0; i < 40; i++) await t.app.get(EventsService).record(tx, 'customer.created', { id: `cus_backlog_${i}` });
    });

    const started = Date.now();
    const first = await renewals.renewDue(RUN_AT);
    const renewedB = await t.http.get(`/api/v1/services/${bService}`, { token: b.key });
    // Renewed: the period moved past 2020-02-15 (to the service's anchor day in March).
    expect(new Date(renewedB.body.data.current_period_end).getTime()).toBeGreaterThan(Date.parse('2020-03-01'));
    expect(first.renewed).toBeGreaterThanOrEqual(1);

    // One cycle: B's invoice.created webhook arrives while A's slow endpoint is still busy.
    await quick.waitFor(() => quick.received.some((r) => JSON.parse(r.body).type === 'invoice.created'), 10000);
    const latency = Date.now() - started;
    console.log(`renewal fairness: B renewed in the first run and its webhook arrived after ${latency} ms; run ${JSON.stringify(first)}`);
    expect(latency).toBeLessThan(10000);

    // A's failures were counted and backed off: this run tried at most BATCH - 1 of them (B took a turn).
    const failed = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM services WHERE tenant_id = $1 AND sweep_failures > 0`, [a.tenant.tenantId]))[0].n as number;
    const afterFirst = await failed();
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    expect(afterFirst).toBeLessThanOrEqual(BATCH - 1);
    const [backedOff] = await db.query(
      `SELECT min(sweep_retry_at) AS earliest FROM services WHERE tenant_id = $1 AND sweep_failures > 0`,
      [a.tenant.tenantId],
    );
    expect(new Date(backedOff.earliest).getTime()).toBe(RUN_AT.getTime() + 60_000);

    // 30 s later the backed-off rows wait, so the batch moves on to A's other services.
    await renewals.renewDue(new Date(RUN_AT.getTime() + 30_000));
    expect(await failed()).toBeGreaterThan(afterFirst);
    const [{ twice }] = await db.query(`SELECT count(*)::int AS twice FROM services WHERE tenant_id = $1 AND sweep_failures > 1`, [a.tenant.tenantId]);
    expect(twice).toBe(0);
    expect(aServices).toHaveLength(FAILING);
  }, 120000);
});

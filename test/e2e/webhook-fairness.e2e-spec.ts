import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/config';
import { TransactionService } from '../../src/database/transaction.service';
import { EventsService } from '../../src/modules/events/events.service';
import { RequestContext } from '../../src/platform/context/request-context';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { waitFor } from '../support/wait';

const SLOW_MS = 3000;
const SLOW_EVENTS = 100;
/**
 * The worker's delivery slots, shared by every tenant (WEBHOOK_WORKER_CONCURRENCY, default 50). Set lower here so
 * that a backlog queued ahead of B would hold B back for most of A's 100 deliveries.
 */
const WORKER_SLOTS = 20;

/** A real receiver that answers after SLOW_MS and counts how many requests it holds at once. */
class SlowReceiver {
  private server?: Server;
  inFlight = 0;
  maxInFlight = 0;
  answered = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      req.resume();
      setTimeout(() => {
        this.inFlight--;
        this.answered++;
        res.end('ok');
      }, SLOW_MS);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/slow`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Tenant A's endpoint takes 3 s per delivery and A has 100 events queued; every tenant shares the
 * worker's 20 delivery slots. Before, A's backlog took all 20 and B's webhook waited behind
 * 80 of A's deliveries; now A holds at most WEBHOOK_MAX_IN_FLIGHT_PER_TENANT (default 5) and B's goes straight out.
 */
describe('webhook delivery slots are shared fairly between tenants (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let slowTenant: TenantFixture;
  let quickTenant: TenantFixture;
  const slow = new SlowReceiver();
  const quick = new WebhookReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapifair', {
      OUTBOX_POLL_MS: '100',
      WEBHOOK_WORKER_CONCURRENCY: String(WORKER_SLOTS),
    }));
    slowTenant = await signUpTenant(t.http, 'Slow endpoint shop');
    quickTenant = await signUpTenant(t.http, 'Quick endpoint shop');
  });
  afterAll(async () => {
    await stopApp?.();
    await slow.stop();
    await quick.stop();
  });

  async function emit(tenant: TenantFixture, count: number): Promise<string[]> {
    const ctx = RequestContext.system('test', tenant.tenantId, 'live');
    return t.app.get(TransactionService).run(ctx, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) ids.push(await t.app.get(EventsService).record(tx, 'customer.created', { id: `cus_${i}` }));
      return ids;
    });
  }

  it("delivers tenant B's webhook promptly while tenant A's slow endpoint has a backlog", async () => {
    const cap = loadConfig().WEBHOOK_MAX_IN_FLIGHT_PER_TENANT;
    const slowUrl = await slow.start();
    const quickUrl = await quick.start();
    expect((await t.http.post('/api/v1/webhooks', { url: slowUrl, events: ['customer.created'] }, { token: slowTenant.accessToken })).status).toBe(201);
    expect((await t.http.post('/api/v1/webhooks', { url: quickUrl, events: ['customer.created'] }, { token: quickTenant.accessToken })).status).toBe(201);

    await emit(slowTenant, SLOW_EVENTS);
    const heldByA = Math.min(cap, WORKER_SLOTS);
    await waitFor(`the slow endpoint to hold ${heldByA} deliveries in flight`, () => slow.inFlight >= heldByA, 10000, 20);

    const started = Date.now();
    const [quickEvent] = await emit(quickTenant, 1);
    await quick.waitFor(() => quick.eventIds().has(quickEvent), 45000);
    const latency = Date.now() - started;
    const slowAnsweredBeforeQuick = slow.answered;
    console.log(
      `fairness: tenant B's webhook arrived in ${latency} ms while tenant A had ${SLOW_EVENTS} deliveries to a ${SLOW_MS} ms endpoint ` +
        `(A in flight at most ${slow.maxInFlight}, cap ${cap}, A answered before B arrived ${slowAnsweredBeforeQuick})`,
    );
    // Order, not wall-clock time (the machine may be slow): queued behind A's backlog, B's delivery would only
    // start once all but WORKER_SLOTS of A's deliveries had been answered.
    expect(slowAnsweredBeforeQuick).toBeLessThan(SLOW_EVENTS - WORKER_SLOTS);
    expect(slow.maxInFlight).toBeLessThanOrEqual(cap);

    // A's backlog still drains, at its share of the slots.
    await waitFor(`the slow endpoint to answer ${cap} deliveries`, () => slow.answered >= cap, 10 * SLOW_MS);
    expect(slow.answered).toBeGreaterThanOrEqual(cap);
    expect(slow.maxInFlight).toBeLessThanOrEqual(cap);
  }, 120000);
});

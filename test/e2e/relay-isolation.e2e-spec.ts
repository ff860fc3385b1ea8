import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { ownerDb } from '../support/owner-db';
import { SmtpReceiver } from '../support/smtp-receiver';
import { waitFor } from '../support/wait';
import type { Schemas } from '../support/typed-api';

/** Valid to class-validator's isEmail, but a quoted local part with a comma: the mailer refuses it. */
const POISON_EMAIL = '"a,b"@example.com';


/**
 * The poison event of issue 11: tenant A's low-stock alert goes to an address the mailer refuses.
 * Before, the relay's whole batch rolled back and the same event was claimed again forever, so no
 * tenant got webhooks or alert mail any more. Now that event alone is retried and dead-lettered.
 */
describe('outbox relay isolates a failing event (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let poisoned: TenantFixture;
  let healthy: TenantFixture;
  const receiver = new WebhookReceiver();
  let receiverUrl: string;
  const smtp = new SmtpReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapirelay', {
      SMTP_URL: await smtp.start(), OUTBOX_POLL_MS: '100', EVENT_RELAY_RETRY_BASE_MS: '300', EVENT_RELAY_MAX_ATTEMPTS: '3',
    }));
    receiverUrl = await receiver.start();
    poisoned = await signUpTenant(t.http, 'Legacy shop');
    healthy = await signUpTenant(t.http, 'Healthy shop');
  });
  afterAll(async () => {
    await stopApp?.();
    await receiver.stop();
    await smtp.stop();
  });

  async function lowStockEvent(tenant: TenantFixture): Promise<string> {
    const token = tenant.accessToken;
    const product = await t.http.post('/api/v1/products', { name: 'Poison pill', sku: `PILL-${Date.now()}`, price: 100 }, { token });
    const location = await t.http.post('/api/v1/locations', { name: 'Main', code: `M${Date.now() % 100000}` }, { token });
    const adjust = (quantity: number) =>
      t.http.post(`/api/v1/inventory/${product.body.data.id}/adjust`, { quantity, reason: quantity > 0 ? 'received' : 'sold', location: location.body.data.id }, { token });
    expect((await adjust(10)).status).toBe(200);
    expect((await t.http.post(`/api/v1/inventory/${product.body.data.id}/alerts`, { threshold: 5 }, { token })).status).toBe(201);
    expect((await adjust(-6)).status).toBe(200);
    const events = await t.http.get('/api/v1/events', { token, query: { type: 'inventory.low' } });
    expect(events.body.data).toHaveLength(1);
    return events.body.data[0].id;
  }

  async function eventUntil(tenant: TenantFixture, id: string, done: (e: Schemas['Event']) => boolean, timeoutMs = 15000): Promise<Schemas['Event']> {
    let last: unknown;
    const res = await waitFor(`event ${id} to reach the expected delivery status`, async () => {
      const got = await t.http.get(`/api/v1/events/${id}`, { token: tenant.accessToken });
      if (got.status !== 200 || done(got.body.data)) return got;
      last = got.body.data.delivery_status;
      return false;
    }, timeoutMs, 100).catch((err: Error) => {
      throw new Error(`event ${id} stayed ${JSON.stringify(last)}`, { cause: err });
    });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('refuses the poison address at the API now, so only legacy data can hold it', async () => {
    const res = await t.http.post('/api/v1/tenants', { name: 'New shop', email: POISON_EMAIL, password: 'correct-horse-battery' });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('email');
  });

  it("dead-letters tenant A's alert while tenant B's webhook still arrives within seconds", async () => {
    // Legacy data: the owner's address was stored before the one validator existed.
    await (await ownerDb()).query(`UPDATE users SET email = $1 WHERE id = $2`, [POISON_EMAIL, poisoned.ownerId]);
    const aHook = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['inventory.low'] }, { token: poisoned.accessToken });
    expect(aHook.status).toBe(201);
    const bHook = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['product.created'] }, { token: healthy.accessToken });
    expect(bHook.status).toBe(201);

    const poisonId = await lowStockEvent(poisoned);
    const failedOnce = await eventUntil(poisoned, poisonId, (e) => e.delivery_status !== 'pending');
    expect(failedOnce.delivery_status).toBe('retrying');
    expect(failedOnce.dead_letter).toMatchObject({ attempts: 1, failed_subscribers: ['inventory-alerts'], dead_lettered_at: null });
    expect(Date.parse(failedOnce.dead_letter!.next_retry_at!)).toBeGreaterThan(Date.now() - 1000);

    // The poison event is still in the outbox and retried; B's events go through meanwhile.
    const started = Date.now();
    const product = await t.http.post('/api/v1/products', { name: 'Healthy tea', sku: `TEA-${Date.now()}`, price: 500 }, { token: healthy.accessToken });
    expect(product.status).toBe(201);
    await receiver.waitFor(() => receiver.received.some((r) => JSON.parse(r.body).data.object.id === product.body.data.id), 5000);
    const latency = Date.now() - started;
    console.log(`relay isolation: tenant B's product.created webhook arrived ${latency} ms after the request, with A's poison event in the outbox`);
    expect(latency).toBeLessThan(5000);

    // A's own webhook for the same event went out: only the failing subscriber is retried.
    expect(receiver.eventIds().has(poisonId)).toBe(true);

    const dead = await eventUntil(poisoned, poisonId, (e) => e.delivery_status === 'dead_lettered');
    expect(dead.dead_letter).toMatchObject({ attempts: 3, failed_subscribers: ['inventory-alerts'], next_retry_at: null });
    expect(dead.dead_letter!.last_error).toMatch(/^inventory-alerts: /);
    expect(dead.dead_letter!.dead_lettered_at).toEqual(expect.any(String));
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === poisonId)).toHaveLength(1);
    expect(smtp.to(POISON_EMAIL)).toHaveLength(0);

    // The list shows the same status; another tenant cannot see the event.
    const listed = await t.http.get('/api/v1/events', { token: poisoned.accessToken, query: { type: 'inventory.low' } });
    expect(listed.body.data[0]).toMatchObject({ id: poisonId, delivery_status: 'dead_lettered' });
    expect((await t.http.get(`/api/v1/events/${poisonId}`, { token: healthy.accessToken })).status).toBe(404);
  });

  it("keeps e-mailing other tenants' alerts", async () => {
    const alertId = await lowStockEvent(healthy);
    const relayed = await eventUntil(healthy, alertId, (e) => e.delivery_status === 'relayed');
    expect(relayed.dead_letter).toBeNull();
    await smtp.waitForMail(healthy.email, 1, 10000);
  });
});

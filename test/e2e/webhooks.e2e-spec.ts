import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { TransactionService } from '../../src/database/transaction.service';
import { EventsService } from '../../src/modules/events/events.service';
import { RequestContext } from '../../src/platform/context/request-context';
import { startTestApp, type TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { WebhookReceiver } from '../support/webhook-receiver';
import { pause, waitFor } from '../support/wait';

/** Real receiver, real worker (relay + delivery jobs), real PostgreSQL and Redis; retries shortened by config. */
describe('webhooks (e2e)', () => {
  let t: TestApp, stopApp: () => Promise<void>, shop: TenantFixture, receiverUrl: string;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapiwh', { WEBHOOK_RETRY_DELAYS_MS: '50,50,50,50,50', OUTBOX_POLL_MS: '100' }));
    shop = await signUpTenant(t.http, 'Webhook shop');
    receiverUrl = await receiver.start();
  });
  afterAll(async () => {
    await stopApp?.();
    await receiver.stop();
  });

  beforeEach(() => {
    receiver.received.length = 0;
    receiver.respond = () => 200;
  });

  async function emit(type: 'customer.created' | 'order.created', object: object, tenantId = shop.tenantId): Promise<string> {
    const ctx = RequestContext.system('test', tenantId, 'live');
    return t.app.get(TransactionService).run(ctx, (tx) => t.app.get(EventsService).record(tx, type, object));
  }

  async function endpoint(events: string[] = ['*']): Promise<{ id: string; secret: string }> {
    const res = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events }, { token: shop.accessToken });
    expect(res.status).toBe(201);
    expect(res.body.data.secret).toMatch(/^whsec_/);
    return res.body.data;
  }

  async function disable(id: string): Promise<void> {
    await t.http.patch(`/api/v1/webhooks/${id}`, { active: false }, { token: shop.accessToken });
  }

  it('delivers a signed event that the standardwebhooks library verifies', async () => {
    const ep = await endpoint(['customer.created']);
    const eventId = await emit('customer.created', { id: 'cus_x', email: 'a@example.test' });
    await receiver.waitFor(() => receiver.received.length >= 1);
    const [delivery] = receiver.received;
    const payload = new Webhook(ep.secret).verify(delivery.body, delivery.headers as Record<string, string>) as { id: string; type: string };
    expect(payload).toMatchObject({ id: eventId, type: 'customer.created', data: { object: { id: 'cus_x' } } });
    expect(delivery.headers['webhook-id']).toBe(eventId);
    expect(delivery.headers['x-webhook-signature']).toBe(createHmac('sha256', ep.secret).update(delivery.body).digest('hex'));
    expect(() => new Webhook(ep.secret).verify(delivery.body.replace('cus_x', 'cus_y'), delivery.headers as Record<string, string>)).toThrow();
    await disable(ep.id);
  });

  it('does not deliver events the endpoint did not subscribe to, nor other tenants\' events', async () => {
    const ep = await endpoint(['order.created']);
    const other = await signUpTenant(t.http, 'Other');
    await emit('customer.created', { id: 'cus_ignored' });
    await emit('order.created', { id: 'ord_other_tenant' }, other.tenantId);
    const wanted = await emit('order.created', { id: 'ord_mine' });
    await receiver.waitFor(() => receiver.received.length >= 1);
    // Proves an absence (nothing else is delivered), which no condition signals: a quiet window.
    await pause(500);
    expect([...receiver.eventIds()]).toEqual([wanted]);
    await disable(ep.id);
  });

  it('retries a failing receiver with the same webhook-id and records every attempt', async () => {
    const ep = await endpoint(['customer.created']);
    receiver.respond = (i) => (i < 2 ? 500 : 200);
    const eventId = await emit('customer.created', { id: 'cus_retry' });
    await receiver.waitFor(() => receiver.received.length >= 3);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
    const log = await waitFor('the delivery recorded as succeeded', async () => {
      const res = await t.http.get(`/api/v1/webhooks/${ep.id}/deliveries`, { token: shop.accessToken });
      return res.body.data[0]?.status === 'succeeded' && res;
    }, 10000);
    expect(log.body.data).toHaveLength(1);
    expect(log.body.data[0]).toMatchObject({ status: 'succeeded', attempt_count: 3, event_id: eventId });
    expect(log.body.data[0].attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 500, 200]);
    await disable(ep.id);
  });

  it('gives up after the 6th failed attempt', async () => {
    const ep = await endpoint(['customer.created']);
    receiver.respond = () => 503;
    await emit('customer.created', { id: 'cus_never' });
    await receiver.waitFor(() => receiver.received.length >= 6);
    // The delivery is final once it is recorded as failed: no 7th attempt can follow.
    const log = await waitFor('the delivery recorded as failed', async () => {
      const res = await t.http.get(`/api/v1/webhooks/${ep.id}/deliveries`, { token: shop.accessToken });
      return res.body.data[0]?.status === 'failed' && res;
    }, 10000);
    expect(receiver.received).toHaveLength(6);
    expect(log.body.data[0]).toMatchObject({ status: 'failed', attempt_count: 6, next_attempt_at: null });

    receiver.respond = () => 200;
    const again = await t.http.post(`/api/v1/webhooks/${ep.id}/deliveries/${log.body.data[0].id}/redeliver`, undefined, { token: shop.accessToken });
    expect(again.status).toBe(202);
    await receiver.waitFor(() => receiver.received.length >= 7);
    expect(receiver.received[6].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    await disable(ep.id);
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const ep = await endpoint(['customer.created']);
    receiver.respond = () => 410;
    await emit('customer.created', { id: 'cus_gone' });
    await receiver.waitFor(() => receiver.received.length >= 1);
    const got = await waitFor('the endpoint to be disabled', async () => {
      const res = await t.http.get(`/api/v1/webhooks/${ep.id}`, { token: shop.accessToken });
      return res.body.data.active === false && res;
    }, 10000);
    expect(got.body.data).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });
    await emit('customer.created', { id: 'cus_after_gone' });
    // Proves an absence (a disabled endpoint gets nothing), which no condition signals: a quiet window.
    await pause(500);
    expect(receiver.received).toHaveLength(1);
  });

  it('sends a test event to one endpoint', async () => {
    const ep = await endpoint(['order.created']);
    const res = await t.http.post(`/api/v1/webhooks/${ep.id}/test`, undefined, { token: shop.accessToken });
    expect(res.status).toBe(202);
    await receiver.waitFor(() => receiver.received.length >= 1);
    expect(JSON.parse(receiver.received[0].body).type).toBe('webhook.test');
    await disable(ep.id);
  });

  it('validates endpoints and keeps tenants apart', async () => {
    const bad = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['order.exploded'] }, { token: shop.accessToken });
    expect(bad.status).toBe(422);
    expect(bad.body.error.field).toBe('events');
    const other = await signUpTenant(t.http, 'Isolated');
    const ep = await endpoint(['order.created']);
    expect((await t.http.get(`/api/v1/webhooks/${ep.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await t.http.delete(`/api/v1/webhooks/${ep.id}`, { token: other.accessToken })).status).toBe(404);
    expect((await t.http.get('/api/v1/webhooks/we_nonsense', { token: shop.accessToken })).status).toBe(404);
    const list = await t.http.get('/api/v1/webhooks', { token: shop.accessToken });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect((await t.http.delete(`/api/v1/webhooks/${ep.id}`, { token: shop.accessToken })).status).toBe(204);
  });
});

describe('webhook SSRF protection in live mode (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  beforeAll(async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'false';
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'SSRF');
  });
  afterAll(async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';
    await t.close();
  });

  it.each(['https://10.0.0.1/hook', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/hook', 'https://localhost/hook', 'http://93.184.216.34/hook'])(
    'refuses %s',
    async (url) => {
      const res = await t.http.post('/api/v1/webhooks', { url, events: ['*'] }, { token: shop.accessToken });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('url');
    },
  );
});

import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';
import { signCarrierPayload } from '../../src/modules/shipping/carrier-signature';
import { ownerDb } from '../support/owner-db';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { confirmedOrder, pkg, shippingShop, stockedProduct, type ShippingShop } from '../support/shipping-fixtures';
import { WebhookReceiver } from '../support/webhook-receiver';

/** Tracking through the real worker: events in the outbox, delivered to a real receiver. */
describe('shipment tracking (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let stopApp: () => Promise<void>;
  const receiver = new WebhookReceiver();
  let receiverUrl: string;

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapiship', { OUTBOX_POLL_MS: '100' }));
    db = await ownerDb();
    receiverUrl = await receiver.start();
  });
  afterAll(async () => {
    await stopApp?.();
    await receiver.stop();
  });

  async function shipAll(s: ShippingShop, orderId: string, items?: { line_id: string; quantity: number }[]) {
    const res = await t.http.post('/api/v1/shipments', { order_id: orderId, ...(items ? { items } : {}), carrier: 'sandbox', service: 'ground', packages: [pkg(800)] }, { token: s.key });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; tracking_number: string };
  }

  const simulate = (s: ShippingShop, id: string, status: string, extra: Record<string, unknown> = {}) =>
    t.http.post(`/api/v1/shipments/${id}/simulate`, { status, ...extra }, { token: s.key });

  async function order(s: ShippingShop, id: string) {
    return (await t.http.get(`/api/v1/orders/${id}`, { token: s.key })).body.data as { status: string; fulfillment_status: string; status_history: { to_status: string }[] };
  }

  it('tracking to delivered moves the shipments and the order, and emits shipment.* events delivered as webhooks', async () => {
    const s = await shippingShop(t, db);
    const endpoint = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['shipment.*'] }, { token: s.key });
    expect(endpoint.status).toBe(201);
    const a = await stockedProduct(t, s, 10);
    const placed = await confirmedOrder(t, s, [{ product_id: a, quantity: 2 }]);
    const first = await shipAll(s, placed.id, [{ line_id: placed.items[0].id, quantity: 1 }]);

    // Partly shipped: in transit does not move the order yet.
    expect((await simulate(s, first.id, 'in_transit', { location: 'Austin, TX' })).body.data.status).toBe('in_transit');
    expect(await order(s, placed.id)).toMatchObject({ status: 'confirmed', fulfillment_status: 'partial' });
    const second = await shipAll(s, placed.id);
    expect((await simulate(s, second.id, 'in_transit')).status).toBe(200);
    expect(await order(s, placed.id)).toMatchObject({ status: 'shipped', fulfillment_status: 'fulfilled' });

    const exception = await simulate(s, first.id, 'exception', { description: 'Address needs a unit number' });
    expect(exception.body.data.status).toBe('exception');
    expect((await simulate(s, first.id, 'delivered')).body.data.status).toBe('delivered');
    expect((await order(s, placed.id)).status).toBe('shipped'); // the second parcel is still on its way
    const delivered = await simulate(s, second.id, 'delivered');
    expect(delivered.body.data.status).toBe('delivered');
    expect(delivered.body.data.delivered_at).not.toBeNull();
    const done = await order(s, placed.id);
    expect(done).toMatchObject({ status: 'delivered', fulfillment_status: 'fulfilled' });
    expect(done.status_history.map((h) => h.to_status)).toEqual(['pending', 'confirmed', 'processing', 'shipped', 'delivered']);
    expect((await simulate(s, second.id, 'in_transit')).status).toBe(409);

    const track = await t.http.get(`/api/v1/shipments/${first.id}/track`, { token: s.key });
    expect(track.body.data).toMatchObject({ shipment_id: first.id, status: 'delivered', carrier: 'sandbox', tracking_number: first.tracking_number });
    expect(track.body.data.events.map((e: { status: string; source: string }) => [e.status, e.source])).toEqual([
      ['label_created', 'api'], ['in_transit', 'simulation'], ['exception', 'simulation'], ['delivered', 'simulation'],
    ]);
    expect(track.body.data.events[1].location).toBe('Austin, TX');

    const expected = ['shipment.created', 'shipment.created', 'shipment.in_transit', 'shipment.in_transit', 'shipment.exception', 'shipment.delivered', 'shipment.delivered'];
    const types = async () => (await t.http.get('/api/v1/events', { token: s.key, query: { per_page: 200 } })).body.data
      .map((e: { type: string }) => e.type).filter((type: string) => type.startsWith('shipment.')).sort();
    expect(await types()).toEqual([...expected].sort());
    await receiver.waitFor(() => receiver.received.filter((r) => r.body.includes(placed.id)).length >= expected.length);
    const mine = receiver.received.filter((r) => r.body.includes(placed.id));
    const verified = mine.map((r) => new Webhook(endpoint.body.data.secret).verify(r.body, r.headers as Record<string, string>) as { type: string; data: { object: { id: string; status: string } } });
    expect(verified.map((p) => p.type).sort()).toEqual([...expected].sort());
    const lastDelivered = verified.find((p) => p.type === 'shipment.delivered' && p.data.object.id === second.id)!;
    expect(lastDelivered.data.object.status).toBe('delivered');
  });

  it('takes signed carrier updates once each, and refuses unsigned, altered or stale ones', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const placed = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const shipment = await shipAll(s, placed.id);
    const secret = await t.http.post('/api/v1/shipping/carriers/sandbox/webhook-secret', undefined, { token: s.key });
    expect(secret.status).toBe(200);
    expect(secret.body.data.webhook_secret).toMatch(/^whsec_/);
    const path = new URL(secret.body.data.webhook_url).pathname;
    expect(path).toBe(`/api/v1/shipping/carriers/sandbox/webhooks/${s.tenantId}/test`);

    const now = Math.floor(Date.now() / 1000);
    const send = (body: object, signature?: string) => {
      const raw = JSON.stringify(body);
      return t.http.post(path, undefined, { rawBody: raw, headers: { 'X-Carrier-Signature': signature ?? signCarrierPayload(secret.body.data.webhook_secret, now, raw) } });
    };
    const update = { id: 'evt_carrier_1', tracking_number: shipment.tracking_number, status: 'in_transit', location: 'Memphis, TN', occurred_at: new Date().toISOString() };
    expect((await send(update)).body.data).toEqual({ received: true, applied: true });
    expect((await send(update)).body.data).toEqual({ received: true, applied: false }); // redelivered: applied once
    expect((await t.http.get(`/api/v1/shipments/${shipment.id}`, { token: s.key })).body.data.status).toBe('in_transit');
    expect((await order(s, placed.id)).status).toBe('shipped');

    const raw = JSON.stringify({ ...update, id: 'evt_carrier_2', status: 'delivered' });
    const signature = signCarrierPayload(secret.body.data.webhook_secret, now, raw);
    expect((await t.http.post(path, undefined, { rawBody: raw.replace('delivered', 'exception'), headers: { 'X-Carrier-Signature': signature } })).status).toBe(400);
    expect((await send({ ...update, id: 'evt_carrier_3' }, signCarrierPayload(secret.body.data.webhook_secret, now - 600, JSON.stringify({ ...update, id: 'evt_carrier_3' })))).status).toBe(400);
    expect((await t.http.post(path, undefined, { rawBody: raw })).status).toBe(400);
    const otherTenant = await shippingShop(t, db, 'Other shop');
    const foreign = (await t.http.post('/api/v1/shipping/carriers/sandbox/webhook-secret', undefined, { token: otherTenant.key })).body.data.webhook_secret;
    expect((await t.http.post(path, undefined, { rawBody: raw, headers: { 'X-Carrier-Signature': signCarrierPayload(foreign, now, raw) } })).status).toBe(400);
    expect((await t.http.get(`/api/v1/shipments/${shipment.id}`, { token: s.key })).body.data.status).toBe('in_transit');

    expect((await t.http.post(path, undefined, { rawBody: raw, headers: { 'X-Carrier-Signature': signature } })).body.data.applied).toBe(true);
    expect((await order(s, placed.id)).status).toBe('delivered');
    expect((await send({ ...update, id: 'evt_carrier_4', tracking_number: 'SBX0000000000000000' })).body.data).toEqual({ received: true, applied: false });
    expect((await t.http.post('/api/v1/shipping/carriers/pigeon/webhooks/ten_x/test', undefined, { rawBody: raw, headers: { 'X-Carrier-Signature': signature } })).status).toBe(404);
  });

  it('simulates in test mode only', async () => {
    const s = await shippingShop(t, db);
    const a = await stockedProduct(t, s, 10);
    const placed = await confirmedOrder(t, s, [{ product_id: a, quantity: 1 }]);
    const shipment = await shipAll(s, placed.id);
    // The owner's sign-up token works in live mode, where this test-mode shipment does not exist.
    expect((await t.http.post(`/api/v1/shipments/${shipment.id}/simulate`, { status: 'delivered' }, { token: s.ownerToken })).status).toBe(403);
    const carriers = await t.http.get('/api/v1/shipping/carriers', { token: s.key });
    expect(carriers.body.data.map((c: { code: string; kind: string }) => [c.code, c.kind])).toEqual([['sandbox', 'sandbox'], ['table_rate', 'table_rate']]);
    expect(carriers.body.meta).toMatchObject({ total: 2, has_more: false });
  });
});

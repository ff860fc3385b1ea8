import { Webhook } from 'standardwebhooks';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { webhookProblems } from '../support/openapi-validator';
import { WebhookReceiver } from '../support/webhook-receiver';
import { pause } from '../support/wait';

/**
 * The `events` of a webhook endpoint take the spec's `WebhookEventSelector` (an emitted type, a
 * family, or `*`), and what a family subscription receives is exactly the documented payload.
 */
describe('webhook event types (e2e)', () => {
  let t: TestApp, stopApp: () => Promise<void>, shop: TenantFixture, receiverUrl: string;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapiwhtypes', { OUTBOX_POLL_MS: '100' }));
    shop = await signUpTenant(t.http, 'Event types shop');
    receiverUrl = await receiver.start();
  });
  afterAll(async () => {
    await stopApp?.();
    await receiver.stop();
  });

  it.each([
    [['order.exploded'], 'an unknown type'],
    [['shipment.returned'], 'a type not built yet (shipments have no returns)'],
    [['shipping.*'], 'a family that does not exist (the family is shipment.*)'],
    [['order.created', 'webhook.test'], 'the test type (sent only by POST /webhooks/{id}/test)'],
    [['ORDER.CREATED'], 'a type in the wrong case'],
  ])('refuses %j (%s) with 422 naming events, on create and on update', async (events) => {
    const created = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events }, { token: shop.accessToken });
    expect(created.status).toBe(422);
    expect(created.body.error).toMatchObject({ code: 'validation_error', field: 'events' });

    const ok = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['order.created'], active: false }, { token: shop.accessToken });
    expect(ok.status).toBe(201);
    const updated = await t.http.patch(`/api/v1/webhooks/${ok.body.data.id}`, { events }, { token: shop.accessToken });
    expect(updated.status).toBe(422);
    expect(updated.body.error).toMatchObject({ code: 'validation_error', field: 'events' });
    expect((await t.http.delete(`/api/v1/webhooks/${ok.body.data.id}`, { token: shop.accessToken })).status).toBe(204);
  });

  it('a family subscription (order.*) gets every order event and nothing else, each as the webhooks section documents it', async () => {
    const endpoint = await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['order.*', 'inventory.*'] }, { token: shop.accessToken });
    expect(endpoint.status).toBe(201);
    const auth = { token: shop.accessToken };

    const location = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, auth);
    const product = await t.http.post('/api/v1/products', { name: 'Lamp', sku: 'LAMP-1', price: 2500 }, auth);
    await t.http.post(`/api/v1/inventory/${product.body.data.id}/alerts`, { threshold: 2 }, auth);
    await t.http.post(`/api/v1/inventory/${product.body.data.id}/adjust`, { quantity: 3, reason: 'received', location: location.body.data.id }, auth);
    const customer = await t.http.post('/api/v1/customers', { email: 'family@example.test', first_name: 'Fam', last_name: 'Ily' }, auth);
    const address = { line1: '1 Main St', city: 'London', postal_code: 'N1 1AA', country: 'GB' };
    const order = await t.http.post(
      '/api/v1/orders',
      { customer_id: customer.body.data.id, items: [{ product_id: product.body.data.id, quantity: 3 }], shipping_address: address },
      auth,
    );
    expect(order.status).toBe(201);
    expect((await t.http.post(`/api/v1/orders/${order.body.data.id}/cancel`, { reason: 'customer asked', refund: false }, auth)).status).toBe(200);

    // order.created, inventory.low + inventory.out_of_stock (3 of 3 reserved), order.cancelled.
    await receiver.waitFor(() => receiver.received.length >= 4);
    // Proves an absence (no fifth delivery), which no condition signals: a quiet window.
    await pause(500);
    const types = receiver.received.map((r) => JSON.parse(r.body).type).sort();
    expect(types).toEqual(['inventory.low', 'inventory.out_of_stock', 'order.cancelled', 'order.created']);
    for (const delivery of receiver.received) {
      expect(webhookProblems(delivery.body, delivery.headers)).toEqual([]);
      expect(() => new Webhook(endpoint.body.data.secret).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    }
  });
});

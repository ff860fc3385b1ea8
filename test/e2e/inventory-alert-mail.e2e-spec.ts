import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { SmtpReceiver } from '../support/smtp-receiver';
import { pause } from '../support/wait';

/** End to end: a stock change crosses the threshold → event → relay → mail job → a real SMTP receiver. */
describe('inventory alert e-mail (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let shop: TenantFixture;
  const smtp = new SmtpReceiver();

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapialert', { SMTP_URL: await smtp.start(), OUTBOX_POLL_MS: '100' }));
    shop = await signUpTenant(t.http, 'Alerting shop');
    smtp.watch(shop.email); // other test files' tenants share the database; count only this tenant's mail
  });
  afterAll(async () => {
    await stopApp?.();
    await smtp.stop();
  });

  it('e-mails the owner once when stock falls below the threshold, and once when it runs out', async () => {
    const token = shop.accessToken;
    const product = await t.http.post('/api/v1/products', { name: 'Green <Teapot>', sku: 'TEAPOT-GREEN', price: 3500 }, { token });
    const location = await t.http.post('/api/v1/locations', { name: 'Main warehouse', code: 'MAIN' }, { token });
    const productId = product.body.data.id;
    const adjust = (quantity: number) =>
      t.http.post(`/api/v1/inventory/${productId}/adjust`, { quantity, reason: quantity > 0 ? 'received' : 'sold', location: location.body.data.id }, { token });
    expect((await adjust(10)).status).toBe(200);
    expect((await t.http.post(`/api/v1/inventory/${productId}/alerts`, { threshold: 5 }, { token })).status).toBe(201);

    expect((await adjust(-6)).status).toBe(200); // 4 left: below 5
    const received = await smtp.waitForMail(shop.email, 1);
    expect(received[0].subject).toContain('Green <Teapot>');
    expect(received[0].html || '').not.toContain('<Teapot>');

    expect((await adjust(-1)).status).toBe(200); // 3 left: still low, no new crossing
    expect((await adjust(-3)).status).toBe(200); // 0 left: out of stock
    await smtp.waitForMail(shop.email, 2);
    // Proves an absence (no third mail), which no condition signals: a quiet window.
    await pause(1000);
    expect(smtp.messages).toHaveLength(2);
    expect(smtp.messages[1].subject?.toLowerCase()).toContain('out of stock');
  });
});

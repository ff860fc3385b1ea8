import type { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { MailProcessor } from '../../src/modules/notifications/mail.processor';
import { Clock } from '../../src/platform/clock/clock';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import { SmtpReceiver } from '../support/smtp-receiver';
import { waitFor } from '../support/wait';

const QUOTA_ENV = {
  MAIL_QUOTA_PER_TENANT_PER_DAY: '2',
  MAIL_QUOTA_PER_RECIPIENT_PER_HOUR: '50',
  OUTBOX_POLL_MS: '100',
};

/** Issue 23 item 3: live e-mail per tenant per day; the send route answers 429, queued system mail waits. */
describe('send quotas (e2e)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let stopApp: () => Promise<void>;
  let shop: TenantFixture;
  const smtp = new SmtpReceiver(); // keeps all: each check names its address (other files' tenants share the worker)

  beforeAll(async () => {
    ({ t, worker, close: stopApp } = await startAppAndWorker('cbapiquota', { SMTP_URL: await smtp.start(), ...QUOTA_ENV }));
    shop = await signUpTenant(t.http, 'Quota shop');
  });

  afterAll(async () => {
    await stopApp?.();
    await smtp.stop();
  });

  it('the daily quota trips on the injected clock: the send route answers 429, an alert mail is deferred, then sent the next day', async () => {
    const clocks = [t.app.get(Clock), worker.get(Clock)];
    const now = new Date();
    for (const clock of clocks) clock.set(now);
    const token = shop.accessToken; // live mode
    const email = `payer-${randomUUID()}@example.test`;
    const customer = await t.http.post('/api/v1/customers', { email, first_name: 'Ada', last_name: 'L' }, { token });
    expect(customer.status).toBe(201);
    const invoices: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.http.post('/api/v1/invoices', { customer_id: customer.body.data.id, currency: 'usd', lines: [{ description: `Plan ${i}`, quantity: 1, unit_amount: 500 }] }, { token });
      expect(res.status).toBe(201);
      invoices.push(res.body.data.id);
    }
    const send = (id: string) => t.http.post(`/api/v1/invoices/${id}/send`, {}, { token });

    expect((await send(invoices[0])).status).toBe(200);
    expect((await send(invoices[0])).status).toBe(200); // the same invoice again within the hour: nothing new queued
    expect((await send(invoices[1])).status).toBe(200);
    await smtp.waitForMail(email, 2);
    const over = await send(invoices[2]);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('rate_limit_exceeded');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.http.get(`/api/v1/invoices/${invoices[2]}`, { token })).body.data.email_sent).toBe(false);

    // System mail over the quota: the stock alert is queued and waits, never dropped.
    const product = await t.http.post('/api/v1/products', { name: 'Quota teapot', sku: `Q-${randomUUID()}`, price: 3500 }, { token });
    const location = await t.http.post('/api/v1/locations', { name: 'Main', code: `Q${randomUUID().slice(0, 6)}` }, { token });
    const adjust = (quantity: number) => t.http.post(`/api/v1/inventory/${product.body.data.id}/adjust`,
      { quantity, reason: quantity > 0 ? 'received' : 'sold', location: location.body.data.id }, { token });
    expect((await adjust(10)).status).toBe(200);
    expect((await t.http.post(`/api/v1/inventory/${product.body.data.id}/alerts`, { threshold: 5 }, { token })).status).toBe(201);
    expect((await adjust(-6)).status).toBe(200);

    const db = await ownerDb();
    const alertRow = async () => (await db.query(
      `SELECT id, status, deferred_until FROM outbound_emails WHERE tenant_id = $1 AND mode = 'live' AND $2 = ANY(recipients)`,
      [shop.tenantId, shop.email.toLowerCase()],
    ))[0] as { id: string; status: string; deferred_until: Date | null } | undefined;
    const deferred = await waitFor('the alert mail deferred', async () => { const row = await alertRow(); return row?.deferred_until ? row : null; });
    expect(deferred.status).toBe('queued');
    expect(new Date(deferred.deferred_until!).getTime()).toBeGreaterThan(now.getTime());
    expect(smtp.to(shop.email)).toHaveLength(0);

    const metrics = (await request(t.app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(new RegExp(`mail_quota_exceeded_total\\{tenant="${shop.tenantId}",outcome="refused"\\} 1`));
    expect(metrics).toMatch(new RegExp(`mail_quota_exceeded_total\\{tenant="${shop.tenantId}",outcome="deferred"\\} [1-9]`));

    // The next day: the requeue sweep (every minute in the worker) wakes the alert, and it is sent.
    for (const clock of clocks) clock.advance(24 * 3600 * 1000);
    expect(await worker.get(MailProcessor).requeueStale({})).toBeGreaterThanOrEqual(1);
    await smtp.waitForMail(shop.email, 1);
    expect((await alertRow())?.status).toBe('sent');
    expect((await send(invoices[2])).status).toBe(200);
  });
});

import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { resetConfigCache } from '../../src/config/config';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { pause } from '../support/wait';

/** End to end: a stock change crosses the threshold → event → relay → mail job → a real SMTP receiver. */
describe('inventory alert e-mail (e2e)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let shop: TenantFixture;
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream).then((mail) => {
        // Other test files' tenants share the database; count only this tenant's mail.
        if (shop && to.includes(shop.email.toLowerCase())) received.push(mail);
        callback();
      }, callback);
    },
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.OUTBOX_POLL_MS = '100';
    process.env.QUEUE_PREFIX = `cbapialert${process.pid}`;
    t = await startTestApp();
    resetConfigCache();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    shop = await signUpTenant(t.http, 'Alerting shop');
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    delete process.env.SMTP_URL;
    delete process.env.OUTBOX_POLL_MS;
  });

  async function waitForMail(count: number): Promise<void> {
    const until = Date.now() + 20000;
    while (received.length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} e-mail(s), got ${received.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

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
    await waitForMail(1);
    expect(received[0].subject).toContain('Green <Teapot>');
    expect(received[0].html || '').not.toContain('<Teapot>');

    expect((await adjust(-1)).status).toBe(200); // 3 left: still low, no new crossing
    expect((await adjust(-3)).status).toBe(200); // 0 left: out of stock
    await waitForMail(2);
    // Proves an absence (no third mail), which no condition signals: a quiet window.
    await pause(1000);
    expect(received).toHaveLength(2);
    expect(received[1].subject?.toLowerCase()).toContain('out of stock');
  });
});

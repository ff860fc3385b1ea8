import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { resetConfigCache } from '../../src/config/config';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

const LINK = /https?:\/\/[^\s"'<>]+\/api\/v1\/tenants\/verify-email\?token=[A-Za-z0-9_-]{43}/g;

/** Issue 23 item 1: until the owner follows the link from the sign-up e-mail, the tenant works in test mode only. */
describe('verified owners (e2e)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let shop: TenantFixture;
  const received: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail); // mailTo() picks this file's: other files' stale mail may reach this worker
        callback();
      }, callback);
    },
  });
  const mailTo = (address: string) => received.filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()));

  async function waitForMail(address: string, count: number): Promise<ParsedMail[]> {
    const deadline = Date.now() + 20000;
    while (mailTo(address).length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${address}, got ${mailTo(address).length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return mailTo(address);
  }

  const follow = (link: string) => t.http.get(`${new URL(link).pathname}${new URL(link).search}`);

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.QUEUE_PREFIX = `cbapiverify${process.pid}`;
    process.env.SIGNUP_VERIFICATION = 'true';
    t = await startTestApp();
    resetConfigCache();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    shop = await signUpTenant(t.http, 'Unverified shop');
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    delete process.env.SMTP_URL;
    process.env.SIGNUP_VERIFICATION = 'false';
    resetConfigCache();
  });

  it('an unverified tenant cannot create live keys or send live mail, and can after following the link from the e-mail', async () => {
    const owner = shop.accessToken; // a live-mode owner token
    const liveKey = await t.http.post('/api/v1/api-keys', { name: 'live', mode: 'live' }, { token: owner });
    expect(liveKey.status).toBe(403);
    expect(liveKey.body.error.code).toBe('authorization_error');
    expect(liveKey.body.error.message).toContain('verified owner e-mail');
    const testKey = await createApiKey(t.http, owner, { mode: 'test' });

    const payer = `payer-${randomUUID()}@example.test`;
    const invoiceBody = (customerId: string) => ({ customer_id: customerId, currency: 'usd', send_to_customer: true, lines: [{ description: 'Plan', quantity: 1, unit_amount: 900 }] });
    const liveCustomer = await t.http.post('/api/v1/customers', { email: payer, first_name: 'Ada', last_name: 'L' }, { token: owner });
    expect(liveCustomer.status).toBe(201);
    const liveMail = await t.http.post('/api/v1/invoices', invoiceBody(liveCustomer.body.data.id), { token: owner });
    expect(liveMail.status).toBe(403);
    expect(liveMail.body.error.message).toContain('Live e-mail');
    // Test mode works meanwhile.
    const testCustomer = await t.http.post('/api/v1/customers', { email: payer, first_name: 'Ada', last_name: 'L' }, { token: testKey.secret });
    expect((await t.http.post('/api/v1/invoices', invoiceBody(testCustomer.body.data.id), { token: testKey.secret })).status).toBe(201);

    // Asking for new links is limited (3 an hour by default); each new link replaces the one before.
    for (let i = 0; i < 3; i++) expect((await t.http.post('/api/v1/tenants/verification-email', {}, { token: owner })).status).toBe(200);
    const limited = await t.http.post('/api/v1/tenants/verification-email', {}, { token: owner });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const mails = await waitForMail(shop.email, 4);
    const links = mails.flatMap((m) => (m.text ?? '').match(LINK) ?? []);
    expect(new Set(links).size).toBe(4);
    const answers: number[] = [];
    for (const link of links) answers.push((await follow(link)).status);
    expect([...answers].sort()).toEqual([200, 404, 404, 404]);
    expect((await follow(links[answers.indexOf(200)])).status).toBe(404); // one use only

    const created = await t.http.post('/api/v1/api-keys', { name: 'live', mode: 'live' }, { token: owner });
    expect(created.status).toBe(201);
    const sent = await t.http.post('/api/v1/invoices', invoiceBody(liveCustomer.body.data.id), { token: owner });
    expect(sent.status).toBe(201);
    expect(sent.body.data.email_sent).toBe(true);
    await waitForMail(payer, 1);
    expect((await t.http.post('/api/v1/tenants/verification-email', {}, { token: owner })).status).toBe(409);
  });
});

import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { SmtpReceiver } from '../support/smtp-receiver';

const LINK = /https?:\/\/[^\s"'<>]+\/api\/v1\/tenants\/verify-email\?token=[A-Za-z0-9_-]{43}/g;

/** Issue 23 item 1: until the owner follows the link from the sign-up e-mail, the tenant works in test mode only. */
describe('verified owners (e2e)', () => {
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let shop: TenantFixture;
  const smtp = new SmtpReceiver(); // keeps all: the sign-up mail may arrive before the address is known

  const follow = (link: string) => t.http.get(`${new URL(link).pathname}${new URL(link).search}`);

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapiverify', { SMTP_URL: await smtp.start(), SIGNUP_VERIFICATION: 'true' }));
    shop = await signUpTenant(t.http, 'Unverified shop');
  });

  afterAll(async () => {
    await stopApp?.();
    await smtp.stop();
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

    const mails = await smtp.waitForMail(shop.email, 4);
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
    await smtp.waitForMail(payer, 1);
    expect((await t.http.post('/api/v1/tenants/verification-email', {}, { token: owner })).status).toBe(409);
  });
});

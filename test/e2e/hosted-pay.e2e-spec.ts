import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { chromiumExecutable } from '../support/chromium';
import request from 'supertest';
import { ownerDb } from '../support/owner-db';
import type { Schemas } from '../../src/platform/openapi/schemas';
import type { TestApp } from '../support/app';
import { startAppAndWorker } from '../support/app-and-worker';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import { SmtpReceiver } from '../support/smtp-receiver';

const CHROMIUM = chromiumExecutable(); // CHROMIUM_PATH or Debian's chromium; missing → this file fails in one line
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LINK = /https?:\/\/[^\s"'<>]+\/pay\/[A-Za-z0-9_-]{43}/;
type Invoice = Schemas['Invoice'];

describe('hosted invoice page /pay/{token} (e2e, headless Chromium)', () => {
  const smtp = new SmtpReceiver(); // each check names its address: other files' tenants share the worker
  let t: TestApp;
  let stopApp: () => Promise<void>;
  let browser: Browser;
  let origin: string;
  let shop: TenantFixture;
  let key: string;
  let liveKey: string;

  /** The hosted link on this test server (PUBLIC_BASE_URL is not known before the server listens). */
  const local = (url: string) => `${origin}${new URL(url).pathname}`;
  const pathOf = (url: string) => new URL(url).pathname;

  async function customer(as = key): Promise<{ id: string; email: string }> {
    const email = `payer-${randomUUID()}@example.test`;
    const res = await t.http.post('/api/v1/customers', { email, first_name: 'Grace', last_name: 'Hopper' }, { token: as });
    if (res.status !== 201) throw new Error(`customer: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.data.id, email };
  }

  async function invoice(body: Record<string, unknown>, as = key): Promise<Invoice> {
    const res = await t.http.post('/api/v1/invoices', { currency: 'usd', ...body }, { token: as });
    if (res.status !== 201) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  const state = async (id: string, as = key): Promise<Invoice> => (await t.http.get(`/api/v1/invoices/${id}`, { token: as })).body.data;

  /** A raw call to the hosted page, checked against the spec like every other response. */
  async function raw(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const server = t.app.getHttpServer();
    const res = method === 'GET' ? await request(server).get(path) : await request(server).post(path).type('form').send(form ?? {});
    assertMatchesSpec(method, path, res);
    return res;
  }

  async function fillCard(page: import('playwright-core').Page, number: string) {
    await page.fill('#number', number);
    await page.fill('#exp_month', '12');
    await page.fill('#exp_year', String(new Date().getUTCFullYear() + 2));
    await page.fill('#cvc', '123');
  }

  beforeAll(async () => {
    ({ t, close: stopApp } = await startAppAndWorker('cbapibilling', { SANDBOX_SMTP_URL: await smtp.start() }));
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    shop = await signUpTenant(t.http, 'Hosted <b>Pay</b> shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    liveKey = (await createApiKey(t.http, shop.accessToken, { mode: 'live' })).secret;
    // return_url may name only the tenant's allowed redirect domains (issue 23): this test server's host.
    expect((await t.http.put('/api/v1/settings/redirect-domains', { domains: ['127.0.0.1'] }, { token: key })).status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await stopApp?.();
    await smtp.stop();
  });

  it('send_to_customer e-mails the hosted link by SMTP; in Chromium 4000…0002 shows the decline and 4242… pays and redirects to return_url', async () => {
    const payer = await customer();
    const returnUrl = `${origin}/health/live?invoice=done`;
    const inv = await invoice({
      customer_id: payer.id, send_to_customer: true, return_url: returnUrl,
      lines: [{ description: 'Hosting plan', quantity: 2, unit_amount: 1250 }],
    });
    expect(inv.email_sent).toBe(true);

    const [mail] = await smtp.waitForMail(payer.email);
    expect(mail.subject).toContain(inv.number);
    const link = (mail.text ?? '').match(LINK)?.[0];
    expect(link).toBe(inv.hosted_invoice_url);

    const page = await browser.newPage();
    try {
      const shown = await page.goto(local(link!));
      expect(shown?.status()).toBe(200);
      expect(await page.textContent('#number-label')).toBe(inv.number);
      expect(await page.textContent('#amount-due')).toBe('25.00 USD');

      await fillCard(page, '4000000000000002');
      await Promise.all([page.waitForNavigation(), page.click('#pay')]);
      expect(await page.textContent('#message')).toContain('declined');
      expect(await page.textContent('#status')).toBe('open');
      expect(await state(inv.id)).toMatchObject({ status: 'open', amount_paid: 0, last_payment_error: { code: 'card_declined' } });

      await fillCard(page, '4242 4242 4242 4242');
      await Promise.all([page.waitForURL(returnUrl), page.click('#pay')]);
      expect(page.url()).toBe(returnUrl);
      expect(await state(inv.id)).toMatchObject({ status: 'paid', amount_paid: 2500, amount_due: 0 });

      const again = await page.goto(local(link!));
      expect(again?.status()).toBe(200);
      expect(await page.textContent('#paid')).toContain('paid');
      expect(await page.locator('form').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('escapes tenant-supplied text: a product named <script> renders inert in the browser', async () => {
    const payer = await customer();
    const evil = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
    const product = await t.http.post('/api/v1/products', { name: evil, sku: `xss-${randomUUID()}`, price: 100 }, { token: key });
    expect(product.status).toBe(201);
    const inv = await invoice({ customer_id: payer.id, product_manage_id: product.body.data.id, amount: 999 });
    expect(inv.lines[0].description).toBe(evil);

    const res = await raw('GET', pathOf(inv.hosted_invoice_url));
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('&lt;script&gt;');

    const page = await browser.newPage();
    try {
      await page.goto(local(inv.hosted_invoice_url));
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('tbody td').first().textContent()).toBe(evil);
      expect(await page.locator('script').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('unknown, malformed and expired tokens answer a 404 page; GET and POST alike', async () => {
    const payer = await customer();
    const inv = await invoice({ customer_id: payer.id, lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] });
    const path = pathOf(inv.hosted_invoice_url);
    expect((await raw('GET', path)).status).toBe(200);
    const unknown = await raw('GET', `/pay/${'A'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('invalid or has expired');
    expect((await raw('GET', '/pay/short')).status).toBe(404);
    expect((await raw('POST', `/pay/${'B'.repeat(43)}`, { number: '4242424242424242' })).status).toBe(404);

    const db = await ownerDb();
    await db.query(`UPDATE invoice_page_tokens SET expires_at = now() - interval '1 second' WHERE invoice_id = $1`, [inv.id]);
    expect((await raw('GET', path)).status).toBe(404);
    expect((await raw('POST', path, { number: '4242424242424242', exp_month: '12', exp_year: '2040', cvc: '123' })).status).toBe(404);
    expect((await state(inv.id)).status).toBe('open');

    // send mints a fresh link when the current one has expired.
    const sent = await t.http.post(`/api/v1/invoices/${inv.id}/send`, {}, { token: key });
    expect(sent.body.data.hosted_invoice_url).not.toBe(inv.hosted_invoice_url);
    expect((await raw('GET', pathOf(sent.body.data.hosted_invoice_url))).status).toBe(200);
  });

  it('form errors re-render (400); a paid or void invoice takes no payment (409); live mode without a provider says payment is unavailable', async () => {
    const payer = await customer();
    const inv = await invoice({ customer_id: payer.id, lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] });
    const path = pathOf(inv.hosted_invoice_url);
    const bad = await raw('POST', path, { number: '42', exp_month: '12', exp_year: '2040', cvc: '123' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('card number');
    const realCard = await raw('POST', path, { number: '4111111111111111', exp_month: '12', exp_year: '2040', cvc: '123' });
    expect(realCard.status).toBe(400);
    expect(realCard.text).toContain('test cards only');
    const ok = await raw('POST', path, { number: '4242424242424242', exp_month: '12', exp_year: '2040', cvc: '123' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(path); // no return_url: back to the page, which shows it paid
    expect((await raw('GET', path)).text).toContain('is paid');
    expect((await raw('POST', path, { number: '4242424242424242', exp_month: '12', exp_year: '2040', cvc: '123' })).status).toBe(409);

    const toVoid = await invoice({ customer_id: payer.id, lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] });
    await t.http.post(`/api/v1/invoices/${toVoid.id}/void`, {}, { token: key });
    const voidPage = await raw('GET', pathOf(toVoid.hosted_invoice_url));
    expect(voidPage.text).toContain('voided');
    expect(voidPage.text).not.toContain('<form');
    expect((await raw('POST', pathOf(toVoid.hosted_invoice_url), { number: '4242424242424242', exp_month: '12', exp_year: '2040', cvc: '123' })).status).toBe(409);

    const livePayer = await customer(liveKey);
    const live = await invoice({ customer_id: livePayer.id, lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] }, liveKey);
    const livePage = await raw('GET', pathOf(live.hosted_invoice_url));
    expect(livePage.status).toBe(200);
    expect(livePage.text).toContain('Online payment is not available');
    expect(livePage.text).not.toContain('<form');
    expect((await raw('POST', pathOf(live.hosted_invoice_url), { number: '4242424242424242', exp_month: '12', exp_year: '2040', cvc: '123' })).status).toBe(409);
    expect((await state(live.id, liveKey)).status).toBe('open');
  });
});

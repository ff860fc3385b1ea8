import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { chromiumExecutable } from '../support/chromium';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import { assertMatchesSpec } from '../support/openapi-validator';
import type { Schemas } from '../support/typed-api';

const CHROMIUM = chromiumExecutable(); // CHROMIUM_PATH or Debian's chromium; missing → this file fails in one line
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PAY_PATH = /^\/pay\/[A-Za-z0-9_-]{43}$/;
const CARD = { number: '4242424242424242', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 2), cvc: '123' };

/** The hosted checkout `/r/{token}` end to end: resolver link → page → POST → /pay → paid → subscription active. */
describe('hosted checkout POST /r/{token} (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let browser: Browser;
  let origin: string;
  let key: string;
  let productId: string;
  let label: string;
  let sku: string;

  const ref = () => `ACC-${randomUUID().slice(0, 8)}`;
  const mail = () => `buyer-${randomUUID().slice(0, 8)}@example.test`;

  /** A raw call to the hosted pages (no token, form bodies), checked against the spec like every other response. */
  async function raw(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const server = t.app.getHttpServer();
    const res = method === 'GET' ? await request(server).get(path) : await request(server).post(path).type('form').send(form ?? {});
    assertMatchesSpec(method, path, res);
    return res;
  }

  async function link(query: Record<string, string>): Promise<string> {
    const res = await t.http.get('/api/v1/resolve/public-url', { token: key, query });
    if (res.status !== 200) throw new Error(`resolve: ${res.status} ${JSON.stringify(res.body)}`);
    return new URL(res.body.data.url).pathname;
  }

  const subscriptionLink = (account: string, email: string, tier = 'pro') => link({ account_ref_id: account, subscription_name: label, tier_name: tier, email });
  const status = (account: string) => t.http.get(`/api/v1/accounts/${encodeURIComponent(account)}/status`, { token: key });
  const invoicesOf = async (account: string) => (await t.http.get('/api/v1/invoices', { token: key, query: { account_ref_id: account } })).body.data;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    db = await ownerDb();
    const shop = await signUpShop(t.http, 'Checkout <i>shop</i>');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    label = `suite-${randomUUID().slice(0, 8)}`;
    // Only saas_only products resolve (resolver-saas-only.e2e-spec.ts).
    const product = await t.http.post('/api/v1/products', {
      name: 'Suite <One>', sku: `SUITE-${randomUUID().slice(0, 8)}`, price: 0, type: 'subscription', label_name: label, saas_only: true,
    }, { token: key });
    productId = product.body.data.id;
    await t.http.post(`/api/v1/products/${productId}/tiers`, { label_name: 'pro', name: 'Pro <Plan>', price: 3200, billing_cycle: 'monthly' }, { token: key });
    await t.http.post(`/api/v1/products/${productId}/tiers`, { label_name: 'free', name: 'Free', price: 0, billing_cycle: 'monthly' }, { token: key });
    sku = `ONB-${randomUUID().slice(0, 8)}`;
    await t.http.post('/api/v1/products', { name: 'Onboarding & setup', sku, price: 9900, saas_only: true }, { token: key });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('subscription: page → POST → 303 to /pay → paid with 4242 → active; a repeat POST reuses the invoice while unpaid, 409 once active', async () => {
    const account = ref();
    const email = mail();
    const path = await subscriptionLink(account, email);
    const page = await raw('GET', path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<form method="post" action="${path}"`);
    expect(page.text).toContain('>Subscribe</button>');
    expect(page.text).not.toContain('name="email"'); // the link carries it

    const first = await raw('POST', path);
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(PAY_PATH);
    const pending = await status(account);
    expect(pending.body.data).toMatchObject({ account_ref_id: account, customer_email: email, total_subscriptions: 1 });
    expect(pending.body.data.subscriptions[0]).toMatchObject({ status: 'pending', is_active: false, subscription_tier: { label_name: 'pro', price: 3200 } });

    // Idempotent: the same link again, and a new link for the same account and tier, land on the same invoice.
    expect((await raw('POST', path)).headers.location).toBe(first.headers.location);
    expect((await raw('POST', await subscriptionLink(account, email))).headers.location).toBe(first.headers.location);
    expect((await status(account)).body.data.total_subscriptions).toBe(1);
    const invoices = await invoicesOf(account);
    expect(invoices.map((i: Schemas['Invoice']) => [i.status, i.total, i.service_id])).toEqual([['open', 3200, pending.body.data.subscriptions[0].service_id]]);

    const paid = await raw('POST', first.headers.location, CARD);
    expect(paid.status).toBe(303);
    const active = await status(account);
    expect(active.body.data.subscriptions[0]).toMatchObject({ status: 'active', is_active: true });

    // Nothing owed and the tier already held: a second subscription is refused, with no form to retry.
    const again = await raw('POST', path);
    expect(again.status).toBe(409);
    expect(again.text).toContain('already has this subscription');
    expect(again.text).not.toContain('<form');
    expect((await status(account)).body.data.total_subscriptions).toBe(1);
  });

  it('reuses the open first invoice of a pending service created through the API for the same account', async () => {
    const account = ref();
    const email = mail();
    const customer = await t.http.post('/api/v1/customers', { email, first_name: 'Ada', last_name: 'L', account_ref_id: account }, { token: key });
    const service = await t.http.post('/api/v1/services', { customer_id: customer.body.data.id, product_id: productId, tier: 'pro' }, { token: key });
    const invoice = await t.http.get(`/api/v1/invoices/${service.body.data.latest_invoice_id}`, { token: key });
    const res = await raw('POST', await subscriptionLink(account, email));
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(new URL(invoice.body.data.hosted_invoice_url).pathname);
    expect((await status(account)).body.data.total_subscriptions).toBe(1);
  });

  it('concurrent POSTs of one link (double click, two tabs) for an existing customer create one service and one invoice', async () => {
    const account = ref();
    const email = mail();
    // An existing customer: creating one would serialize the POSTs on its unique account reference anyway.
    await t.http.post('/api/v1/customers', { email, first_name: 'Bo', last_name: 'K', account_ref_id: account }, { token: key });
    const path = await subscriptionLink(account, email);
    const answers = await Promise.all([1, 2, 3, 4].map(() => raw('POST', path)));
    expect(answers.map((a) => a.status)).toEqual([303, 303, 303, 303]);
    expect(new Set(answers.map((a) => a.headers.location)).size).toBe(1);
    expect((await status(account)).body.data.total_subscriptions).toBe(1);
    expect(await invoicesOf(account)).toHaveLength(1);
  });

  it('product link without e-mail: the form asks for one and validates it, issues one open invoice for the price and reuses it until paid', async () => {
    const account = ref();
    // The resolver now always puts the e-mail in a product link (saas_only requires it); a link without
    // one is a link minted before that rule, still alive for CHECKOUT_LINK_TTL_HOURS: made so here.
    const path = await link({ account_ref_id: account, product_name: sku, email: mail() });
    await db.query('UPDATE checkout_links SET email = NULL WHERE token_hash = $1', [createHash('sha256').update(path.slice('/r/'.length)).digest('hex')]);
    const page = await raw('GET', path);
    expect(page.text).toContain('name="email"');
    expect(page.text).toContain('>Continue to payment</button>');

    const missing = await raw('POST', path);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Enter your e-mail address');
    const bad = await raw('POST', path, { email: 'not-an-<email>' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="not-an-&lt;email&gt;"');
    expect(bad.text).toContain('Enter a valid e-mail address');
    expect(await invoicesOf(account)).toEqual([]);

    const email = mail();
    const first = await raw('POST', path, { email: `  ${email.toUpperCase()} ` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(PAY_PATH);
    expect((await raw('POST', path, { email })).headers.location).toBe(first.headers.location);
    const [invoice, ...more] = await invoicesOf(account);
    expect(more).toEqual([]);
    expect(invoice).toMatchObject({ status: 'open', total: 9900, currency: 'usd', customer_email: email, account_ref_id: account, service_id: null });
    expect(invoice.lines).toMatchObject([{ description: 'Onboarding & setup', quantity: 1, unit_amount: 9900 }]);

    // Paid through the API: the rule holds only while unpaid, so the next POST is a new purchase.
    const pay = await t.http.post(`/api/v1/invoices/${invoice.id}/pay`, { card: { ...CARD, exp_month: 12, exp_year: Number(CARD.exp_year) } }, { token: key });
    expect(pay.body.data.status).toBe('paid');
    const second = await raw('POST', path, { email });
    expect(second.status).toBe(303);
    expect(second.headers.location).not.toBe(first.headers.location);
    expect((await invoicesOf(account)).map((i: Schemas['Invoice']) => i.status).sort()).toEqual(['open', 'paid']);
  });

  it('unknown, malformed and expired links answer the GET 404 page; a free tier starts active (200); an archived product is refused (422)', async () => {
    for (const bad of [`/r/${'A'.repeat(43)}`, '/r/short']) {
      const res = await raw('POST', bad);
      expect(res.status).toBe(404);
      expect(res.text).toBe((await raw('GET', bad)).text);
      expect(res.text).toContain('invalid or has expired');
    }
    const account = ref();
    const expiring = await subscriptionLink(account, mail());
    const hash = createHash('sha256').update(expiring.slice('/r/'.length)).digest('hex');
    await db.query(`UPDATE checkout_links SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hash]);
    expect((await raw('POST', expiring)).status).toBe(404);
    expect((await status(account)).status).toBe(404); // no customer was created

    const free = await raw('POST', await subscriptionLink(account, mail(), 'free'));
    expect(free.status).toBe(200);
    expect(free.text).toContain('You are subscribed to Suite &lt;One&gt; — Free');
    expect((await status(account)).body.data.subscriptions[0]).toMatchObject({ status: 'active', subscription_tier: { label_name: 'free' } });

    const gone = await t.http.post('/api/v1/products', { name: 'Gone', sku: `GONE-${randomUUID().slice(0, 8)}`, price: 500, saas_only: true }, { token: key });
    const goneLink = await link({ account_ref_id: account, product_name: gone.body.data.sku, email: mail() });
    await t.http.delete(`/api/v1/products/${gone.body.data.id}`, { token: key });
    const refused = await raw('POST', goneLink);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('no longer available');
    expect(refused.text).not.toContain('<form');
  });

  it('in headless Chromium: open /r/…, click Subscribe, land on /pay/…, pay with the test card, see it paid and the subscription active', async () => {
    const account = ref();
    const path = await subscriptionLink(account, mail());
    const page = await browser.newPage();
    try {
      const shown = await page.goto(`${origin}${path}`);
      expect(shown?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe('Suite <One> — Pro <Plan>');
      await Promise.all([page.waitForURL(/\/pay\//), page.click('#checkout')]);
      expect(new URL(page.url()).pathname).toMatch(PAY_PATH);
      expect(await page.textContent('#amount-due')).toBe('32.00 USD');
      await page.fill('#number', '4242 4242 4242 4242');
      await page.fill('#exp_month', CARD.exp_month);
      await page.fill('#exp_year', CARD.exp_year);
      await page.fill('#cvc', CARD.cvc);
      await Promise.all([page.waitForNavigation(), page.click('#pay')]);
      expect(await page.textContent('#paid')).toContain('paid');
      expect(await page.textContent('#status')).toBe('paid');
    } finally {
      await page.close();
    }
    expect((await status(account)).body.data.subscriptions[0]).toMatchObject({ status: 'active', is_active: true });
  });
});

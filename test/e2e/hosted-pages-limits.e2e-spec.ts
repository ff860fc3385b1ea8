import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { resetConfigCache } from '../../src/config/config';
import type { Schemas } from '../../src/platform/openapi/schemas';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';

const DECLINED = { number: '4000000000000002', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 2), cvc: '123' };
const GOOD = { ...DECLINED, number: '4242424242424242' };
/** This file's limits (test-env gives every other suite very high ones): bursts are 2× the per-minute rate. */
const LIMITS = {
  TRUST_PROXY_HOPS: '1',
  HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_TOKEN: '30',
  HOSTED_PAGE_REQUESTS_PER_MINUTE_PER_IP: '60',
  HOSTED_PAGE_CARD_ATTEMPTS_PER_DAY: '10',
};
const TOKEN_BURST = 60;
const IP_BURST = 120;

/** A client address of its own for each caller (the app trusts one proxy hop, so X-Forwarded-For is the client). */
const newIp = () => `10.${randomBytes(3).join('.')}`;
const unknownToken = () => randomBytes(32).toString('base64url');

/** Card testing and floods on the hosted pages `/pay/{token}` and `/r/{token}`: the limits answer a 429 HTML page. */
describe('hosted pages: per-token and per-IP limits, card attempts per invoice (e2e)', () => {
  let t: TestApp;
  let key: string;
  const saved: Record<string, string | undefined> = {};

  /** A hosted-page call from `ip`, checked against the spec like every other response. */
  async function hosted(method: 'GET' | 'POST', path: string, ip: string, form?: Record<string, string>) {
    const server = t.app.getHttpServer();
    const res = method === 'GET'
      ? await request(server).get(path).set('X-Forwarded-For', ip)
      : await request(server).post(path).set('X-Forwarded-For', ip).type('form').send(form ?? {});
    assertMatchesSpec(method, path, res);
    return res;
  }

  async function invoice(amount = 2500): Promise<Schemas['Invoice'] & { path: string }> {
    const email = `payer-${randomUUID()}@example.test`;
    const customer = await t.http.post('/api/v1/customers', { email, first_name: 'Card', last_name: 'Tester' }, { token: key });
    const res = await t.http.post('/api/v1/invoices', {
      customer_id: customer.body.data.id, currency: 'usd', lines: [{ description: 'Hosting', quantity: 1, unit_amount: amount }],
    }, { token: key });
    if (res.status !== 201) throw new Error(`invoice: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...res.body.data, path: new URL(res.body.data.hosted_invoice_url).pathname };
  }

  const state = async (id: string): Promise<Schemas['Invoice']> => (await t.http.get(`/api/v1/invoices/${id}`, { token: key })).body.data;

  function expectLimitPage(res: request.Response, says: RegExp, maxRetryAfter: number) {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(maxRetryAfter);
    expect(res.text).toMatch(/^<!doctype html>/);
    expect(res.text).toMatch(says);
    expect(res.text).not.toContain('rate_limit_exceeded'); // a page, not the JSON envelope
  }

  beforeAll(async () => {
    for (const [name, value] of Object.entries(LIMITS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'Hosted limits shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
  });

  afterAll(async () => {
    await t?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    resetConfigCache();
  });

  it('40 parallel declined-card posts on one /pay/{token}: 10 reach the processor, 30 get the 429 page; another invoice still pays', async () => {
    const target = await invoice();
    const other = await invoice();
    const ip = newIp();

    const answers = await Promise.all(Array.from({ length: 40 }, () => hosted('POST', target.path, ip, DECLINED)));
    const processed = answers.filter((r) => r.status !== 429);
    const refused = answers.filter((r) => r.status === 429);
    expect(processed).toHaveLength(10);
    expect(refused).toHaveLength(30);
    // Each counted attempt either reached the processor (declined) or met another attempt still
    // processing on the same invoice (409: a payment never exceeds what is owed, issue 10).
    for (const res of processed) {
      expect([200, 409]).toContain(res.status);
      expect(res.text).toContain(res.status === 200 ? 'Payment declined' : 'Another payment for this invoice is in progress');
    }
    const declined = processed.filter((r) => r.status === 200).length;
    expect(declined).toBeGreaterThanOrEqual(1);
    for (const res of refused) expectLimitPage(res, /Too many cards were tried on this invoice/, 24 * 3600);
    const payments = await t.http.get('/api/v1/payments', { token: key, query: { invoice_id: target.id, per_page: 200 } });
    expect(payments.body.meta.total).toBe(declined);
    expect(await state(target.id)).toMatchObject({ status: 'open', amount_paid: 0 });

    // The cap holds whatever the card, from any address; the page itself still shows.
    expectLimitPage(await hosted('POST', target.path, newIp(), GOOD), /Too many cards/, 24 * 3600);
    expect((await hosted('GET', target.path, ip)).status).toBe(200);
    // An incomplete form presents no card: it is answered (400), not counted or refused.
    expect((await hosted('POST', target.path, ip, { number: '42' })).status).toBe(400);

    // The cap is per invoice: another invoice's page takes a card from the same address.
    const paid = await hosted('POST', other.path, ip, GOOD);
    expect(paid.status).toBe(303);
    expect(await state(other.id)).toMatchObject({ status: 'paid', amount_paid: 2500 });
  });

  it('a burst on one /pay/{token} from many addresses ends in the 429 page; another link is unaffected', async () => {
    const target = await invoice();
    const other = await invoice();
    const answers = await Promise.all(Array.from({ length: TOKEN_BURST + 15 }, () => hosted('GET', target.path, newIp())));
    const ok = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(ok).toBeGreaterThanOrEqual(TOKEN_BURST - 2);
    expect(ok).toBeLessThanOrEqual(TOKEN_BURST + 5); // refill during the burst is 0.5 a second
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expectLimitPage(refused[0], /too many requests/, 5);
    expect(refused[0].text).toContain('Too many attempts'); // the invoice page's look

    expect((await hosted('GET', other.path, newIp())).status).toBe(200);
  });

  it('one address walking many /r/{token} links (token guessing) ends in the 429 page on every hosted page; other addresses are unaffected', async () => {
    const guesser = newIp();
    // Made before the burst: the checks below must follow it at once, before the bucket refills (1 a second).
    const page = await invoice();
    const answers = [];
    for (let batch = 0; batch < 5; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: (IP_BURST + 20) / 5 }, () => hosted('GET', `/r/${unknownToken()}`, guesser)))));
    }
    const notFound = answers.filter((r) => r.status === 404).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(notFound).toBeGreaterThanOrEqual(IP_BURST - 2);
    expect(notFound).toBeLessThanOrEqual(IP_BURST + 5);
    expect(refused.length).toBeGreaterThanOrEqual(15);
    expectLimitPage(refused[0], /too many requests/, 5);
    expect(refused[0].text).toContain('<h1>Too many requests</h1>'); // the checkout page's look

    // The per-IP bucket spans the hosted pages: the guesser's next invoice page is refused too…
    expect((await hosted('GET', page.path, guesser)).status).toBe(429);
    expect((await hosted('POST', `/r/${unknownToken()}`, guesser, { email: 'a@example.test' })).status).toBe(429);
    // …while another address gets it, and a checkout 404 as before.
    expect((await hosted('GET', page.path, newIp())).status).toBe(200);
    expect((await hosted('GET', `/r/${unknownToken()}`, newIp())).status).toBe(404);
  });

  it('a burst on one /r/{token} checkout link ends in the 429 page', async () => {
    const sku = `SET-${randomUUID().slice(0, 8)}`;
    // Only saas_only products resolve, and they need the buyer's e-mail (resolver-saas-only.e2e-spec.ts).
    const product = await t.http.post('/api/v1/products', { name: 'Setup', sku, price: 900, saas_only: true }, { token: key });
    expect(product.status).toBe(201);
    const resolved = await t.http.get('/api/v1/resolve/public-url', {
      token: key, query: { account_ref_id: `ACC-${randomUUID().slice(0, 8)}`, product_name: sku, email: 'buyer@example.test' },
    });
    expect(resolved.status).toBe(200);
    const path = new URL(resolved.body.data.url).pathname;

    const answers = await Promise.all(Array.from({ length: TOKEN_BURST + 15 }, () => hosted('GET', path, newIp())));
    const ok = answers.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(TOKEN_BURST - 2);
    expect(ok).toBeLessThanOrEqual(TOKEN_BURST + 5);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    expectLimitPage(refused[0], /too many requests/, 5);
  });

  it('/metrics counts the hosted pages by route template, their 429s included', async () => {
    const res = await request(t.app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/pay\/:token",status="200"\} \d+/);
    expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/pay\/:token",status="429"\} 3\d/);
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/r\/:token",status="429"\} \d+/);
  });
});

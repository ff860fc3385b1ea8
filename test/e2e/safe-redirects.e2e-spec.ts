import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Schemas } from '../../src/platform/openapi/schemas';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';

type Invoice = Schemas['Invoice'];
const CARD = { number: '4242424242424242', exp_month: '12', exp_year: String(new Date().getUTCFullYear() + 2), cvc: '123' };

/** Issue 23 item 4: the hosted page sends a payer only to the tenant's own sites. */
describe('safe redirects after payment (e2e)', () => {
  let t: TestApp;
  let key: string; // ck_test_
  let liveKey: string;
  let customerId: string;

  const settings = (domains: unknown, as = key) => t.http.put('/api/v1/settings/redirect-domains', { domains }, { token: as });
  const create = (returnUrl: string) => t.http.post('/api/v1/invoices', {
    customer_id: customerId, currency: 'usd', lines: [{ description: 'Plan', quantity: 1, unit_amount: 1500 }], return_url: returnUrl,
  }, { token: key });

  async function hosted(method: 'GET' | 'POST', invoice: Invoice) {
    const path = new URL(invoice.hosted_invoice_url).pathname;
    const server = t.app.getHttpServer();
    const res = method === 'GET' ? await request(server).get(path) : await request(server).post(path).type('form').send(CARD);
    assertMatchesSpec(method, path, res);
    return res;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'Redirect shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
    liveKey = (await createApiKey(t.http, shop.accessToken, { mode: 'live' })).secret;
    const customer = await t.http.post('/api/v1/customers', { email: `r-${randomUUID()}@example.test`, first_name: 'Ada', last_name: 'L' }, { token: key });
    customerId = customer.body.data.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('none configured: only a path on this server; any absolute URL → 422 naming return_url', async () => {
    expect((await t.http.get('/api/v1/settings/redirect-domains', { token: key })).body.data).toEqual({ domains: [] });
    const absolute = await create('https://shop.example/thanks');
    expect(absolute.status).toBe(422);
    expect(absolute.body.error.field).toBe('return_url');
    expect((await create('//evil.example/x')).status).toBe(422);
    const local = await create('/thanks?order=1');
    expect(local.status).toBe(201);
    const paid = await hosted('POST', local.body.data);
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe('/thanks?order=1');
  });

  it('a return_url on another domain → 422; on an allowed one → the payer is redirected there after payment', async () => {
    const put = await settings(['shop.example', '*.shop.example']);
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual({ domains: ['shop.example', '*.shop.example'] });
    expect((await settings(['Not a host'])).status).toBe(422);
    // Settings are per mode: the live side still allows nothing.
    expect((await t.http.get('/api/v1/settings/redirect-domains', { token: liveKey })).body.data).toEqual({ domains: [] });

    for (const other of ['https://evil.example/shop.example', 'https://shop.example.evil.test/', 'https://shop.example@evil.test/']) {
      const refused = await create(other);
      expect(refused.status).toBe(422);
      expect(refused.body.error.field).toBe('return_url');
    }

    const allowed = await create('https://pay.shop.example/thanks');
    expect(allowed.status).toBe(201);
    const page = await hosted('GET', allowed.body.data);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("form-action 'self' https://pay.shop.example;");
    const paid = await hosted('POST', allowed.body.data);
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe('https://pay.shop.example/thanks');
  });

  it('a domain removed later is no longer a target: the payer stays on the receipt page', async () => {
    expect((await settings(['shop.example'])).status).toBe(200);
    const inv = await create('https://shop.example/done');
    expect(inv.status).toBe(201);
    expect((await settings([])).status).toBe(200);
    const page = await hosted('GET', inv.body.data);
    expect(page.headers['content-security-policy']).toContain("form-action 'self';");
    const paid = await hosted('POST', inv.body.data);
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(new URL(inv.body.data.hosted_invoice_url).pathname);
  });
});

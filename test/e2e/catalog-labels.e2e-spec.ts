import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey } from '../support/factories';
import { signUpShop } from '../support/fixtures';
import { assertMatchesSpec } from '../support/openapi-validator';

/** The SaaS seed sells single products by `label_name` (`{"label_name": "my-product", "type": "single"}`). */
describe('product labels on single products (e2e)', () => {
  let t: TestApp;
  let key: string;
  const P = '/api/v1/products';

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpShop(t.http);
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
  });
  afterAll(() => t.close());

  it('a single product takes a label, unique across all products of the tenant and mode (409)', async () => {
    const label = `my-product-${randomUUID().slice(0, 8)}`;
    const single = await t.http.post(P, { sku: `S-${randomUUID().slice(0, 8)}`, name: 'My product', price: 4900, type: 'single', label_name: label }, { token: key });
    expect(single.status).toBe(201);
    expect(single.body.data).toMatchObject({ type: 'single', label_name: label });

    const clash = await t.http.post(P, { sku: `S-${randomUUID().slice(0, 8)}`, name: 'Other', price: 1, type: 'subscription', label_name: label }, { token: key });
    expect(clash.status).toBe(409);
    expect(clash.body.error.field).toBe('label_name');

    // A single product's label names no subscription: it has no tiers to list.
    const tiers = await t.http.get(`/api/v1/tiers/${label}`, { token: key });
    expect(tiers.status).toBe(404);
  });

  it('the resolver sells a single product by its label, and /r/{token} shows it', async () => {
    const label = `addon-${randomUUID().slice(0, 8)}`;
    await t.http.post(P, { sku: `ADDON-${randomUUID().slice(0, 8)}`, name: 'Backup add-on', price: 1500, type: 'single', label_name: label, saas_only: true }, { token: key });
    const resolved = await t.http.get('/api/v1/resolve/public-url', { token: key, query: { account_ref_id: 'ACC-LABEL-1', product_name: label, email: 'buyer@example.com' } });
    expect(resolved.status).toBe(200);
    const path = new URL(resolved.body.data.url).pathname;
    expect(path).toMatch(/^\/r\//);

    const page = await request(t.app.getHttpServer()).get(path);
    assertMatchesSpec('GET', path, page);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Backup add-on');
  });
});

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { resetConfigCache } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import type { BodyOf, DataOf, ErrorBody } from '../support/typed-api';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The single-page app: plain fetch() from its own origin, as a frontend team would write it.
 * `spa.bearer` keeps tokens in memory (body transport); `spa.cookie` lets the API keep the refresh
 * token in an HttpOnly cookie and sends the CSRF token back.
 */
const SPA_SCRIPT = `
window.spa = {
  async call(api, path, { method = 'GET', token, body, headers = {}, credentials } = {}) {
    const res = await fetch(api + path, {
      method,
      credentials,
      headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: 'Bearer ' + token } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : null,
      remaining: res.headers.get('X-RateLimit-Remaining'),
      limit: res.headers.get('X-RateLimit-Limit'),
      requestId: res.headers.get('X-Request-Id'),
      replayed: res.headers.get('Idempotent-Replayed'),
    };
  },

  async bearer({ api, email, password, productId, customerId, address }) {
    const login = await this.call(api, '/auth/login', { method: 'POST', body: { email, password } });
    let { access_token: access, refresh_token: refresh } = login.body.data;
    const products = await this.call(api, '/products?per_page=50', { token: access });
    const key = 'order-' + Math.random().toString(36).slice(2);
    const order = { customer_id: customerId, items: [{ product_id: productId, quantity: 2 }], shipping_address: address };
    const created = await this.call(api, '/orders', { method: 'POST', token: access, body: order, headers: { 'Idempotency-Key': key } });
    const retried = await this.call(api, '/orders', { method: 'POST', token: access, body: order, headers: { 'Idempotency-Key': key } });
    // Two parts of the app notice the expiring token at the same moment.
    const [first, second] = await Promise.all([
      this.call(api, '/auth/refresh', { method: 'POST', body: { refresh_token: refresh } }),
      this.call(api, '/auth/refresh', { method: 'POST', body: { refresh_token: refresh } }),
    ]);
    const after = await this.call(api, '/auth/me', { token: first.body.data.access_token });
    return { login: login.status, products, created, retried, refreshes: [first, second], after };
  },

  async cookieLogin({ api, email, password }) {
    const login = await this.call(api, '/auth/login', { credentials: 'include', method: 'POST', body: { email, password }, headers: { 'X-Refresh-Token-Transport': 'cookie' } });
    return { login, csrf: login.body.data.csrf_token, visibleToScript: document.cookie };
  },

  async cookieSession({ api, csrf }) {
    const opts = { credentials: 'include' };
    const refreshed = await this.call(api, '/auth/refresh', { ...opts, method: 'POST', headers: { 'X-CSRF-Token': csrf } });
    const withoutCsrf = await this.call(api, '/auth/refresh', { ...opts, method: 'POST' });
    const [a, b] = await Promise.all([1, 2].map(() => this.call(api, '/auth/refresh', { ...opts, method: 'POST', headers: { 'X-CSRF-Token': csrf } })));
    const me = await this.call(api, '/auth/me', { token: a.body.data.access_token });
    const logout = await this.call(api, '/auth/logout', { ...opts, method: 'DELETE', token: a.body.data.access_token, headers: { 'X-CSRF-Token': csrf } });
    const afterLogout = await this.call(api, '/auth/refresh', { ...opts, method: 'POST', headers: { 'X-CSRF-Token': csrf } });
    return { refreshed, withoutCsrf, concurrent: [a, b], me, logout, afterLogout };
  },

  /** What a page on an origin outside the allow-list gets: the browser withholds every answer. */
  async stranger({ api, email, password }) {
    try {
      await fetch(api + '/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) });
      return 'readable';
    } catch (err) {
      return 'blocked: ' + err.message;
    }
  },
};`;

/** What `spa.call` answers in the page: the status, the JSON body (or null) and the headers the page may read. */
interface SpaAnswer<B> {
  status: number;
  body: B & { error: ErrorBody['error'] };
  remaining: string | null;
  limit: string | null;
  requestId: string | null;
  replayed: string | null;
}
type Refreshed = SpaAnswer<BodyOf<'/auth/refresh', 'post'>>;
/** The tokens of the cookie transport: the refresh token stays in the cookie, the page gets the CSRF token. */
type CookieTokens = SpaAnswer<{ data: Extract<DataOf<'/auth/refresh', 'post'>, { csrf_token: string }> & { refresh_token?: string } }>;
/** `window.spa` of SPA_SCRIPT, as the tests call it through page.evaluate. */
interface Spa {
  bearer(args: { api: string; email: string; password: string; productId: string; customerId: string; address: object }): Promise<{
    login: number;
    products: SpaAnswer<BodyOf<'/products', 'get'>>;
    created: SpaAnswer<BodyOf<'/orders', 'post'>>;
    retried: SpaAnswer<BodyOf<'/orders', 'post'>>;
    refreshes: Refreshed[];
    after: SpaAnswer<{ data: { user: { email: string } } }>;
  }>;
  cookieLogin(args: { api: string; email: string; password: string }): Promise<{ login: CookieTokens; csrf: string; visibleToScript: string }>;
  cookieSession(args: { api: string; csrf: string }): Promise<{
    refreshed: CookieTokens;
    withoutCsrf: SpaAnswer<unknown>;
    concurrent: CookieTokens[];
    me: SpaAnswer<BodyOf<'/auth/me', 'get'>>;
    logout: SpaAnswer<unknown>;
    afterLogout: SpaAnswer<unknown>;
  }>;
  stranger(args: { api: string; email: string; password: string }): Promise<string>;
}
/** The page's global object (the functions given to page.evaluate run in the page: no helper of this file is there). */
type SpaWindow = { spa: Spa };

/** A tiny static server: the app's page, from an origin other than the API's. */
async function pageServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>SPA</title><script>${SPA_SCRIPT}</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('a single-page app on another origin, in headless Chromium (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let spa: { server: Server; port: number };
  let stranger: { server: Server; port: number };
  let api: string;
  let shop: TenantFixture;
  let productId: string;
  let customerId: string;
  const address = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

  async function open(origin: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  beforeAll(async () => {
    spa = await pageServer();
    stranger = await pageServer();
    // Bearer app on 127.0.0.1 (another site than the API's localhost); cookie app on localhost:<port>,
    // the same site as the API (SameSite=Strict needs that) but another origin.
    process.env.CORS_ORIGINS = `http://127.0.0.1:${spa.port},http://localhost:${spa.port}`;
    process.env.CORS_CREDENTIALS_ORIGINS = `http://localhost:${spa.port}`;
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    api = `http://localhost:${(t.app.getHttpServer().address() as AddressInfo).port}/api/v1`;

    shop = await signUpTenant(t.http, 'SPA shop');
    const token = shop.accessToken;
    const loc = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, { token });
    const product = await t.http.post('/api/v1/products', { name: 'Browser widget', sku: `SPA-${randomUUID().slice(0, 8)}`, price: 1250 }, { token });
    productId = product.body.data.id;
    const stock = await t.http.post(`/api/v1/inventory/${productId}/adjust`, { quantity: 5, reason: 'received', location: loc.body.data.id }, { token });
    expect(stock.status).toBe(200);
    const customer = await t.http.post('/api/v1/customers', { email: `spa-${randomUUID().slice(0, 8)}@example.test`, first_name: 'S', last_name: 'Pa' }, { token });
    customerId = customer.body.data.id;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await new Promise((resolve) => spa?.server.close(resolve));
    await new Promise((resolve) => stranger?.server.close(resolve));
    delete process.env.CORS_ORIGINS;
    delete process.env.CORS_CREDENTIALS_ORIGINS;
    resetConfigCache();
  });

  it('logs in, lists products, creates an order with an Idempotency-Key, survives two simultaneous refreshes and reads X-RateLimit-Remaining', async () => {
    const page = await open(`http://127.0.0.1:${spa.port}`);
    const run = await page.evaluate((args) => (globalThis as unknown as SpaWindow).spa.bearer(args), { api, email: shop.email, password: shop.password, productId, customerId, address });

    expect(run.login).toBe(200);
    expect(run.products.status).toBe(200);
    expect(run.products.body.data.map((p: { id: string }) => p.id)).toContain(productId);
    // Exposed headers are readable by the page.
    expect(Number(run.products.remaining)).toBeGreaterThan(0);
    expect(Number(run.products.remaining)).toBeLessThanOrEqual(Number(run.products.limit));
    expect(run.products.requestId).toMatch(/^req_/);

    expect(run.created.status).toBe(201);
    expect(run.created.body.data).toMatchObject({ customer_id: customerId, status: 'pending' });
    expect(run.created.replayed).toBeNull();
    expect(run.retried.status).toBe(201);
    expect(run.retried.replayed).toBe('true');
    expect(run.retried.body.data.id).toBe(run.created.body.data.id);
    const inventory = await t.http.get(`/api/v1/inventory/${productId}`, { token: shop.accessToken });
    expect(inventory.body.data).toMatchObject({ total_reserved: 2, total_available: 3 }); // one order, not two

    expect(run.refreshes.map((r: { status: number }) => r.status)).toEqual([200, 200]);
    expect(run.refreshes[1].body.data).toEqual(run.refreshes[0].body.data);
    expect(run.after.status).toBe(200);
    expect(run.after.body.data.user.email).toBe(shop.email);
  });

  it('cookie transport: the refresh token lives in an HttpOnly cookie, refresh works with the CSRF header and is 403 without it', async () => {
    const page = await open(`http://localhost:${spa.port}`);
    const start = await page.evaluate((args) => (globalThis as unknown as SpaWindow).spa.cookieLogin(args), { api, email: shop.email, password: shop.password });
    expect(start.login.status).toBe(200);
    expect(start.login.body.data.refresh_token).toBeUndefined();
    // Chromium accepted the Secure cookies from http://localhost; the page sees the CSRF cookie, never the refresh token.
    expect(start.visibleToScript).toContain(`csrf_token=${start.csrf}`);
    expect(start.visibleToScript).not.toContain('refresh_token');
    const stored = await page.context().cookies(`${api}/auth/refresh`);
    expect(stored.find((c) => c.name === 'refresh_token')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/api/v1/auth' });

    const run = await page.evaluate((args) => (globalThis as unknown as SpaWindow).spa.cookieSession(args), { api, csrf: start.csrf });

    expect(run.refreshed.status).toBe(200);
    expect(run.refreshed.body.data.csrf_token).toBe(start.csrf);
    expect(run.withoutCsrf.status).toBe(403);
    expect(run.withoutCsrf.body.error.code).toBe('authorization_error');
    expect(run.concurrent.map((r: { status: number }) => r.status)).toEqual([200, 200]);
    expect(run.concurrent[1].body.data).toEqual(run.concurrent[0].body.data);
    expect(run.me.status).toBe(200);
    expect(run.logout.status).toBe(204);
    expect(run.afterLogout.status).toBe(401); // the cookie was cleared: no token left to refresh with
    expect((await page.context().cookies(`${api}/auth/refresh`)).map((c) => c.name)).toEqual([]);
  });

  it('a page on an origin outside the allow-list cannot read any answer', async () => {
    const page = await open(`http://127.0.0.1:${stranger.port}`);
    const outcome = await page.evaluate((args) => (globalThis as unknown as SpaWindow).spa.stranger(args), { api, email: shop.email, password: shop.password });
    expect(outcome).toMatch(/^blocked: /);
  });
});

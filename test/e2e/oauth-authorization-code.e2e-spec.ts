import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { chromiumExecutable } from '../support/chromium';
import { signUpTenant } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import {
  authorizeQuery, authorizeWithoutBrowser, createOAuthClient, exchangeCode, hiddenFields, pkcePair, type OAuthClientFixture,
} from '../support/oauth-fixtures';

const CHROMIUM = chromiumExecutable(); // CHROMIUM_PATH or Debian's chromium; missing → this file fails in one line
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('OAuth authorization code with PKCE (e2e, headless Chromium through the consent page)', () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let callback: Server;
  let callbackUri: string;
  const arrivals: URL[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // The third-party app's redirect endpoint: a loopback server that records where the browser arrives.
    callback = createServer((req, res) => {
      arrivals.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>App</title><p id="done">Back in the app</p>');
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => callback?.close(resolve));
    await t?.close();
  });

  it('runs the full flow in the browser: sign in, consent listing the scopes, code and state back, exchanged once with the verifier', async () => {
    const shop = await signUpTenant(t.http, 'OAuth browser shop');
    const developer = await signUpTenant(t.http, 'App developer');
    // The app belongs to another tenant (its developer); the shop's owner authorizes it for the shop.
    const client = await createOAuthClient(t, developer.accessToken, { name: 'Stock <sync>', client_type: 'public', scopes: ['products:read', 'orders:write'], redirect_uris: [callbackUri] });
    const { verifier, challenge } = pkcePair();
    const state = 'st-' + Date.now();
    const url = `${origin}/oauth/authorize?${new URLSearchParams(authorizeQuery({ client, challenge, state, scope: 'products:read orders:read' }))}`;

    const context = await browser.newContext();
    const page = await context.newPage();
    const shown = await page.goto(url);
    expect(shown?.status()).toBe(200);
    expect(shown?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.fill('#email', shop.email);
    await page.fill('#password', shop.password);
    await page.click('#login');
    await page.waitForSelector('#allow');
    expect(await page.textContent('h1')).toBe('Stock <sync> wants to access your shop'); // escaped, shown as text
    expect((await page.textContent('#scopes'))?.replace(/\s+/g, ' ')).toContain('products:read — Read your products');
    expect(await page.textContent('#scopes')).toContain('orders:read');
    await Promise.all([page.waitForURL((u) => u.href.startsWith(callbackUri)), page.click('#allow')]);
    expect(await page.textContent('#done')).toBe('Back in the app');
    await context.close();

    const back = arrivals.filter((u) => u.pathname === '/callback').at(-1)!;
    expect(back.searchParams.get('state')).toBe(state);
    const code = back.searchParams.get('code')!;
    expect(code).toMatch(/^ocd_/);

    const tokens = await exchangeCode(t, client, code, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: 'products:read orders:read' });
    expect(tokens.body.refresh_token).toMatch(/^ort_/);
    const access = tokens.body.access_token as string;
    const products = await t.http.get('/api/v1/products', { token: access });
    expect(products.status).toBe(200);
    const own = await t.http.post('/api/v1/products', { name: 'Shop shirt', sku: 'SHOP-1', price: 100 }, { token: shop.accessToken });
    expect(products.body.data).toEqual([]);
    expect((await t.http.get(`/api/v1/products/${own.body.data.id}`, { token: access })).status).toBe(200); // the shop's data, not the developer's
    expect((await t.http.post('/api/v1/products', { name: 'x', sku: 'X-2', price: 1 }, { token: access })).status).toBe(403);

    // A reused code is refused, and what its first exchange issued is revoked at once.
    const again = await exchangeCode(t, client, code, verifier);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await t.http.get('/api/v1/products', { token: access })).status).toBe(401);
  });

  it('refuses a wrong verifier, a mismatched redirect URI and a confidential client without its secret with the RFC error codes', async () => {
    const shop = await signUpTenant(t.http, 'OAuth errors shop');
    const client = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'], redirect_uris: [callbackUri, `${callbackUri}/other`] });
    const pkce = pkcePair();

    const wrongVerifier = await exchangeCode(t, client, await code(shop, client, pkce.challenge), pkcePair().verifier);
    expect(wrongVerifier.status).toBe(400);
    expect(wrongVerifier.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('code verifier') });

    const mismatched = await exchangeCode(t, client, await code(shop, client, pkce.challenge), pkce.verifier, `${callbackUri}/other`);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error).toBe('invalid_grant');

    const noSecret = await exchangeCode(t, { ...client, secret: null }, await code(shop, client, pkce.challenge), pkce.verifier);
    expect(noSecret.body.error).toBe('invalid_client');

    const ok = await exchangeCode(t, client, await code(shop, client, pkce.challenge), pkce.verifier);
    expect(ok.status).toBe(200);
  });

  it('two exchanges of one code at once leave no working token', async () => {
    const shop = await signUpTenant(t.http, 'OAuth code race shop');
    const client = await createOAuthClient(t, shop.accessToken, { client_type: 'public', scopes: ['products:read'], redirect_uris: [callbackUri] });
    const pkce = pkcePair();
    const once = await code(shop, client, pkce.challenge);
    const results = await Promise.all([exchangeCode(t, client, once, pkce.verifier), exchangeCode(t, client, once, pkce.verifier)]);
    expect(results.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);
    for (const r of results) {
      if (r.status === 200) expect((await t.http.get('/api/v1/products', { token: r.body.access_token })).status).toBe(401);
      else expect(r.body.error).toBe('invalid_grant');
    }
  });

  it('sends authorize errors back with state (unknown scope, no PKCE, plain PKCE, denied) and never redirects to an unregistered URI', async () => {
    const shop = await signUpTenant(t.http, 'OAuth authorize errors shop');
    const client = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'], redirect_uris: [callbackUri] });
    const { challenge } = pkcePair();
    const get = async (query: Record<string, string>) => {
      const path = `/oauth/authorize?${new URLSearchParams(query)}`;
      const res = await request(t.app.getHttpServer()).get(path);
      assertMatchesSpec('GET', path, res);
      return res;
    };
    const unknownScope = await get(authorizeQuery({ client, challenge, state: 's1', scope: 'spaceships:read' }));
    expect(unknownScope.status).toBe(303);
    const location = new URL(unknownScope.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(callbackUri);
    expect(location.searchParams.get('error')).toBe('invalid_scope');
    expect(location.searchParams.get('state')).toBe('s1');

    const beyond = new URL((await get(authorizeQuery({ client, challenge, scope: 'orders:read' }))).headers.location);
    expect(beyond.searchParams.get('error')).toBe('invalid_scope');
    const noPkce = new URL((await get({ ...authorizeQuery({ client, challenge, state: 's2' }), code_challenge: '' })).headers.location);
    expect(noPkce.searchParams.get('error')).toBe('invalid_request');
    const plain = new URL((await get({ ...authorizeQuery({ client, challenge }), code_challenge_method: 'plain' })).headers.location);
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    const token = new URL((await get({ ...authorizeQuery({ client, challenge }), response_type: 'token' })).headers.location);
    expect(token.searchParams.get('error')).toBe('unsupported_response_type');

    const elsewhere = await get(authorizeQuery({ client, challenge, redirectUri: 'https://evil.example.test/cb' }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();
    expect((await get(authorizeQuery({ client: { ...client, id: 'oac_01h2xcejqtf2nbrexx3vqjhp41' }, challenge }))).status).toBe(400);

    // The forms need the CSRF token that matches the browser's cookie.
    const page = await get(authorizeQuery({ client, challenge }));
    const forged = await request(t.app.getHttpServer()).post('/oauth/authorize').type('form').send({ ...hiddenFields(page.text), action: 'login', email: shop.email, password: shop.password });
    assertMatchesSpec('POST', '/oauth/authorize', forged);
    expect(forged.status).toBe(403);

    // Deny in the browser: access_denied with the state.
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${origin}/oauth/authorize?${new URLSearchParams(authorizeQuery({ client, challenge, state: 'deny-me' }))}`);
    await tab.fill('#email', shop.email);
    await tab.fill('#password', 'wrong password');
    await tab.click('#login');
    expect(await tab.textContent('[role=alert]')).toContain('incorrect');
    await tab.fill('#email', shop.email);
    await tab.fill('#password', shop.password);
    await tab.click('#login');
    await Promise.all([tab.waitForURL((u) => u.href.startsWith(callbackUri)), tab.click('#deny')]);
    const denied = new URL(tab.url());
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('deny-me');
    await context.close();
  });

  async function code(user: { email: string; password: string }, client: OAuthClientFixture, challenge: string): Promise<string> {
    const back = await authorizeWithoutBrowser(t, user, { client, challenge, state: 'x' });
    const value = back.searchParams.get('code');
    if (!value) throw new Error(`no code: ${back}`);
    return value;
  }
});

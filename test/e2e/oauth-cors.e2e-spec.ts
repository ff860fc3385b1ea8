import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { chromiumExecutable } from '../support/chromium';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import { authorizeWithoutBrowser, createOAuthClient, pkcePair, type OAuthClientFixture } from '../support/oauth-fixtures';
import type { Schemas } from '../support/typed-api';

const CHROMIUM = chromiumExecutable();
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Every CORS header a response carries. */
function corsHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-')).sort();
}

/** Origins of this run only: a preflight is answered for an origin of ANY active public client, so none may be shared with other files. */
const unique = (name: string) => `https://${name}-${randomUUID().slice(0, 8)}.example.test`;

/**
 * What `window.oauth` answers in the page: the token endpoint's JSON (a token, or an RFC 6749 error) and
 * the exposed request id, or `blocked` when the browser withholds the answer (an origin CORS refuses).
 */
interface OAuthAnswer {
  status: number;
  body: Required<Schemas['OAuthTokenResponse']> & { error?: Schemas['OAuthErrorBody']['error'] };
  requestId: string | null;
  blocked?: string;
}

/** What a single-page app at its redirect URI runs: plain fetch() of the form-encoded OAuth endpoints. */
const SPA_PAGE = `<!doctype html><title>SPA</title><script>
window.oauth = async (url, fields) => {
  try {
    const res = await fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
    return { status: res.status, body: await res.json(), requestId: res.headers.get('X-Request-Id') };
  } catch (err) {
    return { blocked: String(err) };
  }
};
</script>`;

describe('CORS of the OAuth token and revocation endpoints for public clients (e2e)', () => {
  let t: TestApp;
  let developer: TenantFixture;
  let shop: TenantFixture;
  const server = () => t.app.getHttpServer();

  beforeAll(async () => {
    t = await startTestApp();
    developer = await signUpTenant(t.http, 'OAuth CORS developer');
    shop = await signUpTenant(t.http, 'OAuth CORS shop');
  });
  afterAll(async () => {
    await t?.close();
  });

  const preflight = (path: string, origin: string, headers = 'content-type') =>
    request(server()).options(path).set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', headers);

  async function form(path: string, fields: Record<string, string>, origin: string, basic?: { id: string; secret: string }) {
    let req = request(server()).post(path).type('form').set('Origin', origin);
    if (basic) req = req.auth(basic.id, basic.secret);
    const res = await req.send(fields);
    assertMatchesSpec('POST', path, res);
    return res;
  }

  async function codeFor(client: OAuthClientFixture): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkcePair();
    const back = await authorizeWithoutBrowser(t, shop, { client, challenge });
    return { code: back.searchParams.get('code')!, verifier };
  }

  it('derives cors_origins from a public client\'s redirect URIs, none for a confidential one', async () => {
    const spa = unique('spa');
    const created = await t.http.post('/api/v1/oauth/clients', {
      name: 'SPA', client_type: 'public', scopes: ['products:read'], redirect_uris: [`${spa}/callback`, `${spa}/silent-renew`, 'http://127.0.0.1:8123/cb'],
    }, { token: developer.accessToken });
    expect(created.status).toBe(201);
    expect(created.body.data.cors_origins).toEqual([spa, 'http://127.0.0.1:8123']);
    const confidential = await createOAuthClient(t, developer.accessToken, { redirect_uris: [`${unique('server')}/cb`] });
    const listed = await t.http.get('/api/v1/oauth/clients', { token: developer.accessToken });
    expect(listed.body.data.find((c: { id: string }) => c.id === confidential.id).cors_origins).toEqual([]);
  });

  it('answers preflights for public clients\' origins only, before any guard, and nothing for other origins or endpoints', async () => {
    const spa = unique('spa');
    const serverSide = unique('server');
    await createOAuthClient(t, developer.accessToken, { client_type: 'public', redirect_uris: [`${spa}/callback`] });
    await createOAuthClient(t, developer.accessToken, { redirect_uris: [`${serverSide}/callback`] });

    for (const path of ['/oauth/token', '/oauth/revoke']) {
      const ok = await preflight(path, spa);
      expect({ path, status: ok.status }).toEqual({ path, status: 204 });
      expect(ok.headers['access-control-allow-origin']).toBe(spa);
      expect(ok.headers['access-control-allow-methods']).toBe('POST');
      expect(ok.headers['access-control-allow-headers']).toBe('Content-Type');
      expect(ok.headers['access-control-max-age']).toBe('600');
      expect(ok.headers['access-control-allow-credentials']).toBeUndefined();
      expect(ok.headers.vary).toMatch(/Origin/);
      expect(ok.headers['x-ratelimit-remaining']).toBeUndefined(); // answered before routing: no bucket touched
    }
    // A confidential client's origin, a stranger, a look-alike, `null`, and an endpoint that is not for browsers: no CORS at all.
    for (const [path, origin] of [
      ['/oauth/token', serverSide], ['/oauth/token', unique('evil')], ['/oauth/token', `${spa}.evil.test`], ['/oauth/token', 'null'],
      ['/oauth/token', `${spa}/`], ['/oauth/introspect', spa], ['/oauth/authorize', spa],
    ]) {
      const refused = await preflight(path, origin);
      expect({ path, origin, status: refused.status === 204, cors: corsHeaders(refused.headers) }).toEqual({ path, origin, status: false, cors: [] });
    }
  });

  it('lets the registered origin read the token and revocation answers, errors included; other origins and confidential clients get no CORS', async () => {
    const spa = unique('spa');
    const other = unique('other-spa');
    const client = await createOAuthClient(t, developer.accessToken, { client_type: 'public', scopes: ['products:read'], redirect_uris: [`${spa}/callback`] });
    await createOAuthClient(t, developer.accessToken, { client_type: 'public', redirect_uris: [`${other}/callback`] });
    const { code, verifier } = await codeFor(client);

    const exchanged = await form('/oauth/token', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: client.redirectUri, client_id: client.id }, spa);
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers['access-control-allow-origin']).toBe(spa);
    expect(exchanged.headers['access-control-expose-headers']).toBe('X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After');
    expect(exchanged.headers['access-control-allow-credentials']).toBeUndefined();
    expect(exchanged.headers.vary).toMatch(/Origin/);
    const refresh = exchanged.body.refresh_token as string;

    const wrong = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'ort_unknown', client_id: client.id }, spa);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.headers['access-control-allow-origin']).toBe(spa); // the app can read why

    // Another public client's origin passes a preflight, but this client's answers stay unreadable there.
    const elsewhere = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'ort_unknown', client_id: client.id }, other);
    expect(corsHeaders(elsewhere.headers)).toEqual([]);
    const stranger = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'ort_unknown', client_id: client.id }, unique('evil'));
    expect(corsHeaders(stranger.headers)).toEqual([]);

    const revoked = await form('/oauth/revoke', { token: refresh, client_id: client.id }, spa);
    expect(revoked.status).toBe(200);
    expect(revoked.headers['access-control-allow-origin']).toBe(spa);

    // A confidential client's answers never carry CORS, even from its redirect URI's origin.
    const serverSide = unique('server');
    const confidential = await createOAuthClient(t, developer.accessToken, { scopes: ['products:read'], redirect_uris: [`${serverSide}/callback`] });
    const cc = await form('/oauth/token', { grant_type: 'client_credentials' }, serverSide, { id: confidential.id, secret: confidential.secret! });
    expect(cc.status).toBe(200);
    expect(corsHeaders(cc.headers)).toEqual([]);

    // A deleted client's origin is no longer answered on its requests.
    expect((await t.http.delete(`/api/v1/oauth/clients/${client.id}`, { token: developer.accessToken })).status).toBe(204);
    const gone = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: 'ort_unknown', client_id: client.id }, spa);
    expect(gone.body.error).toBe('invalid_client');
    expect(corsHeaders(gone.headers)).toEqual([]);
  });

  describe('in headless Chromium', () => {
    let browser: Browser;
    let api: string;
    const pages: Server[] = [];
    const listen = async (): Promise<string> => {
      const page = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(SPA_PAGE));
      await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
      pages.push(page);
      return `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    };

    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      api = `http://127.0.0.1:${(server().address() as AddressInfo).port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });
    afterAll(async () => {
      await browser?.close();
      for (const page of pages) await new Promise((resolve) => page.close(resolve));
    });

    it('the app at its redirect URI exchanges, refreshes and revokes with fetch(); a page on another origin cannot read a thing', async () => {
      const spaOrigin = await listen();
      const strangerOrigin = await listen();
      const client = await createOAuthClient(t, developer.accessToken, { client_type: 'public', scopes: ['products:read'], redirect_uris: [`${spaOrigin}/callback`] });
      const context = await browser.newContext();
      const app = await context.newPage();
      const first = await codeFor(client);
      await app.goto(`${spaOrigin}/callback?code=${encodeURIComponent(first.code)}`);
      const call = (page: typeof app, path: string, fields: Record<string, string>) =>
        page.evaluate(([url, body]) => (globalThis as unknown as { oauth: (u: string, f: Record<string, string>) => Promise<OAuthAnswer> }).oauth(url, body), [`${api}${path}`, fields] as const);

      const exchanged = await call(app, '/oauth/token', { grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier, redirect_uri: client.redirectUri, client_id: client.id });
      expect(exchanged.status).toBe(200);
      expect(exchanged.body.access_token).toMatch(/^oat_/);
      expect(exchanged.requestId).toMatch(/^req_/); // an exposed header
      const refreshed = await call(app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: client.id });
      expect(refreshed.status).toBe(200);
      expect((await call(app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: exchanged.body.refresh_token, client_id: client.id })).body.error).toBe('invalid_grant');
      expect((await call(app, '/oauth/revoke', { token: refreshed.body.access_token, client_id: client.id })).status).toBe(200);
      expect((await t.http.get('/api/v1/products', { token: refreshed.body.access_token })).status).toBe(401);

      const stranger = await context.newPage();
      await stranger.goto(`${strangerOrigin}/`);
      const second = await codeFor(client);
      const stolen = await call(stranger, '/oauth/token', { grant_type: 'authorization_code', code: second.code, code_verifier: second.verifier, redirect_uri: client.redirectUri, client_id: client.id });
      expect(stolen.blocked).toMatch(/Failed to fetch/);
      await context.close();
    });
  });
});

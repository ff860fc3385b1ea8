import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { assertMatchesSpec } from '../support/openapi-validator';
import { clientCredentials, createOAuthClient, oauthForm } from '../support/oauth-fixtures';

describe('OAuth clients and the client_credentials grant (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers clients for owners with a live user token only: exact https/loopback redirect URIs, known scopes, the secret once', async () => {
    const shop = await signUpTenant(t.http, 'OAuth clients shop');
    const created = await t.http.post('/api/v1/oauth/clients', {
      name: 'Sync app', scopes: ['orders:read', 'products:write'], redirect_uris: ['https://sync.example.test/cb', 'http://127.0.0.1:8123/cb'],
    }, { token: shop.accessToken });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ client_type: 'confidential', mode: 'live', scopes: ['orders:read', 'products:write'] });
    expect(created.body.data.client_secret).toMatch(/^ocs_/);

    const listed = await t.http.get('/api/v1/oauth/clients', { token: shop.accessToken });
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([created.body.data.id]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.data.client_secret);

    const publicClient = await t.http.post('/api/v1/oauth/clients', { name: 'SPA', client_type: 'public', mode: 'test', scopes: ['products:read'], redirect_uris: ['http://localhost:5173/cb'] }, { token: shop.accessToken });
    expect(publicClient.status).toBe(201);
    expect(publicClient.body.data.client_secret).toBeNull();

    for (const [uris, field] of [[['http://app.example.test/cb'], 'redirect_uris[0]'], [['https://a.example.test/cb#x'], 'redirect_uris[0]'], [['not a url'], 'redirect_uris[0]']] as const) {
      const bad = await t.http.post('/api/v1/oauth/clients', { name: 'x', scopes: ['products:read'], redirect_uris: uris }, { token: shop.accessToken });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe(field);
    }
    const unknownScope = await t.http.post('/api/v1/oauth/clients', { name: 'x', scopes: ['users:write'], redirect_uris: ['https://a.example.test/cb'] }, { token: shop.accessToken });
    expect(unknownScope.status).toBe(422);

    const key = await createApiKey(t.http, shop.accessToken);
    expect((await t.http.get('/api/v1/oauth/clients', { token: key.secret })).status).toBe(403);
  });

  it('client credentials read the API within the scopes, get 403 outside them, and stop at once when the client is deleted', async () => {
    const shop = await signUpTenant(t.http, 'OAuth cc shop');
    const client = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read', 'orders:read'] });

    const issued = await clientCredentials(t, client, 'products:read');
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', scope: 'products:read' });
    expect(issued.body.access_token).toMatch(/^oat_/);
    expect(issued.body.refresh_token).toBeUndefined();
    expect(issued.headers['cache-control']).toBe('no-store');
    const token = issued.body.access_token as string;

    const products = await t.http.get('/api/v1/products', { token });
    expect(products.status).toBe(200);
    expect(products.body.meta.livemode).toBe(true);
    expect((await t.http.post('/api/v1/products', { name: 'x', sku: 'X-1', price: 100 }, { token })).status).toBe(403);
    expect((await t.http.get('/api/v1/orders', { token })).status).toBe(403); // granted to the client, not asked for in this token
    expect((await t.http.get('/api/v1/customers', { token })).status).toBe(403);
    expect((await t.http.get('/api/v1/api-keys', { token })).status).toBe(403);

    const all = await clientCredentials(t, client);
    expect(all.body.scope.split(' ').sort()).toEqual(['orders:read', 'products:read']);
    expect((await t.http.get('/api/v1/orders', { token: all.body.access_token })).status).toBe(200);

    expect((await t.http.delete(`/api/v1/oauth/clients/${client.id}`, { token: shop.accessToken })).status).toBe(204);
    expect((await t.http.get('/api/v1/products', { token })).status).toBe(401);
    expect((await clientCredentials(t, client)).status).toBe(401);
  });

  it('refuses with the RFC error codes: unknown scope, a scope beyond the client, wrong secret, public client, unknown grant', async () => {
    const shop = await signUpTenant(t.http, 'OAuth errors shop');
    const client = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });

    const unknown = await clientCredentials(t, client, 'spaceships:read');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_scope');
    expect((await clientCredentials(t, client, 'orders:read')).body.error).toBe('invalid_scope');

    const wrong = await oauthForm(t, '/oauth/token', { grant_type: 'client_credentials' }, { id: client.id, secret: 'ocs_wrong' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic/);

    const spa = await createOAuthClient(t, shop.accessToken, { client_type: 'public' });
    const publicCc = await oauthForm(t, '/oauth/token', { grant_type: 'client_credentials', client_id: spa.id });
    expect(publicCc.status).toBe(400); // nothing to authenticate with: a public client has no secret
    expect(publicCc.body.error).toBe('invalid_client');

    const grant = await oauthForm(t, '/oauth/token', { grant_type: 'password', client_id: client.id, client_secret: client.secret! });
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('GET /auth/me tells a client-credentials token what it acts as: its own tenant and mode, the app, no consent, its scopes', async () => {
    const shop = await signUpTenant(t.http, 'OAuth me shop');
    const client = await createOAuthClient(t, shop.accessToken, { name: 'Nightly export', mode: 'test', scopes: ['products:read', 'orders:read'] });
    const issued = await clientCredentials(t, client, 'orders:read');
    const before = Date.now();
    const me = await t.http.get('/api/v1/auth/me', { token: issued.body.access_token }); // no scope needed: it is about the caller
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({
      kind: 'oauth_app',
      tenant: { id: shop.tenantId },
      mode: 'test',
      oauth_app: { client_id: client.id, client_name: 'Nightly export', authorization_id: null, user_id: null, scopes: ['orders:read'] },
    });
    expect(me.body.data.user).toBeUndefined();
    expect(me.body.data.api_key).toBeUndefined();
    const expiresIn = Date.parse(me.body.data.oauth_app.expires_at) - before;
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(issued.body.expires_in * 1000);

    await oauthForm(t, '/oauth/revoke', { token: issued.body.access_token }, { id: client.id, secret: client.secret! });
    expect((await t.http.get('/api/v1/auth/me', { token: issued.body.access_token })).status).toBe(401);
  });

  it('test-mode clients act on the sandbox', async () => {
    const shop = await signUpTenant(t.http, 'OAuth sandbox shop');
    const client = await createOAuthClient(t, shop.accessToken, { mode: 'test', scopes: ['products:write'] });
    const token = (await clientCredentials(t, client)).body.access_token;
    const created = await t.http.post('/api/v1/products', { name: 'Sandbox shirt', sku: 'SB-1', price: 100 }, { token });
    expect(created.status).toBe(201);
    expect(created.body.meta.livemode).toBe(false);
    const live = await createApiKey(t.http, shop.accessToken, { mode: 'live' });
    expect((await t.http.get('/api/v1/products', { token: live.secret })).body.data).toEqual([]);
  });

  it('serves the RFC 8414 metadata document', async () => {
    const res = await request(t.app.getHttpServer()).get('/.well-known/oauth-authorization-server');
    assertMatchesSpec('GET', '/.well-known/oauth-authorization-server', res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    });
    expect(res.body.token_endpoint).toBe(`${res.body.issuer}/oauth/token`);
    expect(res.body.scopes_supported).toContain('orders:write');
  });
});

import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import {
  authorizeWithoutBrowser, clientCredentials, createOAuthClient, exchangeCode, oauthForm, pkcePair, type OAuthClientFixture,
} from '../support/oauth-fixtures';

describe('OAuth refresh rotation, revocation, introspection, authorized apps and per-client limits (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A consent by the shop's owner and its exchange: the first access and refresh tokens. */
  async function consent(user: { email: string; password: string }, client: OAuthClientFixture, scope?: string): Promise<{ access: string; refresh: string }> {
    const { verifier, challenge } = pkcePair();
    const back = await authorizeWithoutBrowser(t, user, { client, challenge, scope });
    const res = await exchangeCode(t, client, back.searchParams.get('code')!, verifier);
    if (res.status !== 200) throw new Error(`exchange: ${res.status} ${JSON.stringify(res.body)}`);
    return { access: res.body.access_token, refresh: res.body.refresh_token };
  }

  const refresh = (client: OAuthClientFixture, token: string, scope?: string) =>
    oauthForm(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, scope, client_id: client.secret ? undefined : client.id },
      client.secret ? { id: client.id, secret: client.secret } : undefined);

  it('rotates refresh tokens; presenting a rotated one revokes the whole grant at once (reuse detection)', async () => {
    const shop = await signUpTenant(t.http, 'OAuth refresh shop');
    const client = await createOAuthClient(t, shop.accessToken, { client_type: 'public', scopes: ['products:read', 'orders:read'] });
    const first = await consent(shop, client);

    const second = await refresh(client, first.refresh);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh);
    expect(second.body.scope.split(' ').sort()).toEqual(['orders:read', 'products:read']);
    const narrowed = await refresh(client, second.body.refresh_token, 'products:read');
    expect(narrowed.body.scope).toBe('products:read');
    expect((await refresh(client, narrowed.body.refresh_token, 'orders:write')).body.error).toBe('invalid_scope'); // never more than granted

    const live = await consent(shop, client);
    const rotated = await refresh(client, live.refresh);
    const current = rotated.body as { access_token: string; refresh_token: string };
    expect((await t.http.get('/api/v1/products', { token: current.access_token })).status).toBe(200);

    const reuse = await refresh(client, live.refresh);
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await t.http.get('/api/v1/products', { token: current.access_token })).status).toBe(401);
    expect((await refresh(client, current.refresh_token)).body.error).toBe('invalid_grant');
    // Another consent of the same app is a grant of its own and keeps working.
    expect((await t.http.get('/api/v1/products', { token: first.access })).status).toBe(200);

    const other = await createOAuthClient(t, shop.accessToken, { client_type: 'public' });
    expect((await refresh(other, (await consent(shop, client)).refresh)).body.error).toBe('invalid_grant'); // issued to another client
  });

  it('revokes at once (RFC 7009) and introspects (RFC 7662) for the client that holds the token', async () => {
    const shop = await signUpTenant(t.http, 'OAuth revoke shop');
    const client = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });
    const basic = { id: client.id, secret: client.secret! };
    const access = (await clientCredentials(t, client)).body.access_token as string;

    const active = await oauthForm(t, '/oauth/introspect', { token: access }, basic);
    expect(active.body).toMatchObject({ active: true, scope: 'products:read', client_id: client.id, tenant_id: shop.tenantId, livemode: true });
    const stranger = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });
    expect((await oauthForm(t, '/oauth/introspect', { token: access }, { id: stranger.id, secret: stranger.secret! })).body).toEqual({ active: false });
    expect((await oauthForm(t, '/oauth/revoke', { token: access }, { id: stranger.id, secret: stranger.secret! })).status).toBe(200);
    expect((await t.http.get('/api/v1/products', { token: access })).status).toBe(200); // not its token: nothing happened

    const revoked = await oauthForm(t, '/oauth/revoke', { token: access, token_type_hint: 'access_token' }, basic);
    expect(revoked.status).toBe(200);
    expect((await t.http.get('/api/v1/products', { token: access })).status).toBe(401);
    expect((await oauthForm(t, '/oauth/introspect', { token: access }, basic)).body).toEqual({ active: false });
    expect((await oauthForm(t, '/oauth/revoke', { token: 'oat_unknown' }, basic)).status).toBe(200);
    expect((await oauthForm(t, '/oauth/revoke', { token: access }, { id: client.id, secret: 'ocs_wrong' })).body.error).toBe('invalid_client');

    // Revoking a refresh token ends its grant: the access token of the same consent stops too.
    const spa = await createOAuthClient(t, shop.accessToken, { client_type: 'public' });
    const pair = await consent(shop, spa);
    expect((await oauthForm(t, '/oauth/revoke', { token: pair.refresh, client_id: spa.id })).status).toBe(200);
    expect((await t.http.get('/api/v1/products', { token: pair.access })).status).toBe(401);
  });

  it('lists the apps a tenant authorized and revokes one; a demoted user takes its consents with it', async () => {
    const developer = await signUpTenant(t.http, 'OAuth app developer');
    const shop = await signUpTenant(t.http, 'OAuth authorizing shop');
    const client = await createOAuthClient(t, developer.accessToken, { name: 'Reports app', client_type: 'public', scopes: ['orders:read'] });
    const pair = await consent(shop, client);

    const listed = await t.http.get('/api/v1/oauth/authorizations', { token: shop.accessToken });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([expect.objectContaining({ client_id: client.id, client_name: 'Reports app', user_id: shop.ownerId, scopes: ['orders:read'], mode: 'live' })]);
    expect((await t.http.get('/api/v1/oauth/authorizations', { token: developer.accessToken })).body.data).toEqual([]);
    expect((await t.http.delete(`/api/v1/oauth/authorizations/${listed.body.data[0].id}`, { token: developer.accessToken })).status).toBe(404);

    expect((await t.http.get('/api/v1/orders', { token: pair.access })).status).toBe(200);
    expect((await t.http.delete(`/api/v1/oauth/authorizations/${listed.body.data[0].id}`, { token: shop.accessToken })).status).toBe(204);
    expect((await t.http.get('/api/v1/orders', { token: pair.access })).status).toBe(401);
    expect((await refresh(client, pair.refresh)).body.error).toBe('invalid_grant');
    expect((await t.http.get('/api/v1/oauth/authorizations', { token: shop.accessToken })).body.data).toEqual([]);

    // An admin's consent lasts only while the user is an owner or admin.
    const admin = { email: `admin-${Date.now()}@example.test`, password: 'correct-horse-battery' };
    const created = await t.http.post('/api/v1/users', { ...admin, role: 'admin' }, { token: shop.accessToken });
    expect(created.status).toBe(201);
    const adminPair = await consent(admin, client);
    expect((await t.http.get('/api/v1/orders', { token: adminPair.access })).status).toBe(200);
    expect((await t.http.patch(`/api/v1/users/${created.body.data.id}`, { role: 'staff' }, { token: shop.accessToken })).status).toBe(200);
    expect((await t.http.get('/api/v1/orders', { token: adminPair.access })).status).toBe(401);
    // …and a staff user cannot consent at all.
    await expect(consent(admin, client)).rejects.toThrow('consent sign-in: 403');
  });

  it('GET /auth/me tells a consented app the shop it acts for, the consent and the user behind it', async () => {
    const developer = await signUpTenant(t.http, 'OAuth me developer');
    const shop = await signUpTenant(t.http, 'OAuth me shop');
    const client = await createOAuthClient(t, developer.accessToken, { name: 'Reports app', client_type: 'public', scopes: ['orders:read', 'products:read'] });
    const pair = await consent(shop, client, 'orders:read');
    const me = await t.http.get('/api/v1/auth/me', { token: pair.access });
    expect(me.status).toBe(200);
    const [authorization] = (await t.http.get('/api/v1/oauth/authorizations', { token: shop.accessToken })).body.data;
    expect(me.body.data).toMatchObject({
      kind: 'oauth_app',
      tenant: { id: shop.tenantId, name: 'OAuth me shop' }, // the shop, not the developer that registered the app
      mode: 'live',
      oauth_app: { client_id: client.id, client_name: 'Reports app', authorization_id: authorization.id, user_id: shop.ownerId, scopes: ['orders:read'] },
    });
  });

  it('a deleted client leaves the authorized apps of every tenant that authorized it; other apps stay', async () => {
    const developer = await signUpTenant(t.http, 'OAuth deleted-app developer');
    const shops = [await signUpTenant(t.http, 'OAuth deleted-app shop A'), await signUpTenant(t.http, 'OAuth deleted-app shop B')];
    const doomed = await createOAuthClient(t, developer.accessToken, { name: 'Doomed app', client_type: 'public', scopes: ['orders:read'] });
    const kept = await createOAuthClient(t, developer.accessToken, { name: 'Kept app', client_type: 'public', scopes: ['orders:read'] });
    for (const shop of shops) {
      await consent(shop, doomed);
      await consent(shop, kept);
    }
    const listed = async (shop: { accessToken: string }) =>
      ((await t.http.get('/api/v1/oauth/authorizations', { token: shop.accessToken })).body.data as { id: string; client_id: string }[]);
    const doomedGrantA = (await listed(shops[0])).find((a) => a.client_id === doomed.id)!;
    expect((await listed(shops[1])).map((a) => a.client_id).sort()).toEqual([doomed.id, kept.id].sort());

    expect((await t.http.delete(`/api/v1/oauth/clients/${doomed.id}`, { token: developer.accessToken })).status).toBe(204);
    for (const shop of shops) expect((await listed(shop)).map((a) => a.client_id)).toEqual([kept.id]);
    // Ended, not hidden: there is nothing left to revoke.
    expect((await t.http.delete(`/api/v1/oauth/authorizations/${doomedGrantA.id}`, { token: shops[0].accessToken })).status).toBe(404);
    const [{ revoked_reason: reason }] = await (await ownerDb()).query('SELECT revoked_reason FROM oauth_grants WHERE id = $1', [doomedGrantA.id]);
    expect(reason).toBe('client_deleted');
  });

  it('rate-limits each OAuth client, and all of a tenant\'s clients together on the tenant bucket', async () => {
    const shop = await signUpTenant(t.http, 'OAuth limits shop');
    await t.app.get(DataSource).query('UPDATE tenants SET rate_limit_reads = 2 WHERE id = $1', [shop.tenantId]);
    const a = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });
    const b = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });
    const tokenA = (await clientCredentials(t, a)).body.access_token;
    const tokenB = (await clientCredentials(t, b)).body.access_token;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/v1/products', { token: tokenA })).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]); // 2 per minute, bursts up to 2×
    expect(statuses[4]).toBe(429);
    // Issue 23: more apps do not mean more capacity — B's own bucket is full, the tenant's is not.
    const other = await t.http.get('/api/v1/products', { token: tokenB });
    expect(other.status).toBe(429);
    expect(other.body.error.message).toContain("the tenant's");
    expect(other.headers['x-ratelimit-limit']).toBe('4');
  });
});

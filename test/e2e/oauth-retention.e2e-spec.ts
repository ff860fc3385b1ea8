import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RetentionService } from '../../src/modules/retention/retention.service';
import { Clock } from '../../src/platform/clock/clock';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import {
  authorizeWithoutBrowser, clientCredentials, createOAuthClient, exchangeCode, oauthForm, pkcePair, type OAuthClientFixture,
} from '../support/oauth-fixtures';

const DAY = 86_400_000;
const OAUTH_KINDS = ['oauth_codes', 'oauth_tokens', 'oauth_grants'];
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Real codes, tokens and grants (through the protocol), aged with SQL, then the daily retention job
 * on the injected clock. Like retention.e2e-spec.ts the clock is set far in the PAST: the purge spans
 * every tenant, and a cut-off 200+ days back cannot touch what other test files create now.
 */
describe('OAuth retention: codes, tokens and ended grants age out; reuse detection survives (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let db: DataSource;
  let clock: Clock;
  const T = Date.now() - 200 * DAY; // "now" for the job: tokens and grants go 30 days, codes 1 day past their end
  const at = (daysFromT: number) => new Date(T + daysFromT * DAY);

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'OAuth retention shop');
    db = await ownerDb(); // raw SQL on tenant tables: the owner, not the app's runtime role (RLS)
    clock = t.app.get(Clock);
  });
  afterAll(async () => {
    clock?.reset();
    await t?.close();
  });

  async function code(client: OAuthClientFixture, challenge: string): Promise<string> {
    return (await authorizeWithoutBrowser(t, shop, { client, challenge })).searchParams.get('code')!;
  }

  /** A consent and one refresh: the first pair is then used (its refresh token rotated), the second current. */
  async function family(client: OAuthClientFixture) {
    const { verifier, challenge } = pkcePair();
    const first = (await exchangeCode(t, client, await code(client, challenge), verifier)).body;
    const second = (await oauthForm(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client.id })).body;
    expect(second.refresh_token).toMatch(/^ort_/);
    const [{ grant_id: grantId }] = await db.query('SELECT grant_id FROM oauth_tokens WHERE token_hash = $1', [hash(first.access_token)]);
    return { grantId: grantId as string, access1: first.access_token as string, refresh1: first.refresh_token as string, access2: second.access_token as string, refresh2: second.refresh_token as string };
  }

  async function setToken(secret: string, column: 'expires_at' | 'revoked_at', value: Date): Promise<void> {
    await db.query(`UPDATE oauth_tokens SET ${column} = $2 WHERE token_hash = $1`, [hash(secret), value]);
  }
  async function presentTokens(secrets: Record<string, string>): Promise<string[]> {
    const rows: { token_hash: string }[] = await db.query('SELECT token_hash FROM oauth_tokens WHERE token_hash = ANY($1)', [Object.values(secrets).map(hash)]);
    const found = new Set(rows.map((r) => r.token_hash));
    return Object.entries(secrets).filter(([, s]) => found.has(hash(s))).map(([name]) => name).sort();
  }
  async function presentGrants(ids: string[]): Promise<string[]> {
    return (await db.query('SELECT id FROM oauth_grants WHERE id = ANY($1) ORDER BY id', [ids])).map((r: { id: string }) => r.id);
  }

  it('deletes in batches what ended past the retention, keeps the rest, and a used refresh token of a live grant is still caught', async () => {
    const spa = await createOAuthClient(t, shop.accessToken, { client_type: 'public', scopes: ['products:read'] });
    const server = await createOAuthClient(t, shop.accessToken, { scopes: ['products:read'] });

    // Live: its first access token expired long ago (goes); its used refresh token too, but the grant may still be refreshed (stays).
    const live = await family(spa);
    await setToken(live.access1, 'expires_at', at(-40));
    await setToken(live.refresh1, 'expires_at', at(-40));
    // Lapsed: every token, and the grant, ended 35-40 days before → all go, the grant once its tokens have.
    const lapsed = await family(spa);
    for (const secret of [lapsed.access1, lapsed.refresh1, lapsed.access2, lapsed.refresh2]) await setToken(secret, 'expires_at', at(-40));
    await db.query('UPDATE oauth_grants SET expires_at = $2 WHERE id = $1', [lapsed.grantId, at(-35)]);
    // Lapsed recently (20 days): within the retention, even its used refresh token stays.
    const recent = await family(spa);
    for (const secret of [recent.access1, recent.refresh1, recent.access2, recent.refresh2]) await setToken(secret, 'expires_at', at(-25));
    await db.query('UPDATE oauth_grants SET expires_at = $2 WHERE id = $1', [recent.grantId, at(-20)]);
    // Revoked by the tenant 31 days before: the grant and its four tokens go.
    const revoked = await family(spa);
    expect((await t.http.delete(`/api/v1/oauth/authorizations/${revoked.grantId}`, { token: shop.accessToken })).status).toBe(204);
    await db.query('UPDATE oauth_tokens SET revoked_at = $2 WHERE grant_id = $1', [revoked.grantId, at(-31)]);
    await db.query('UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1', [revoked.grantId, at(-31)]);
    // Client credentials: expired 31 days before → goes; 29 → stays; revoked (RFC 7009) 31 days before → goes.
    const cc = { expired: '', recent: '', revoked: '' };
    for (const name of Object.keys(cc) as (keyof typeof cc)[]) cc[name] = (await clientCredentials(t, server)).body.access_token;
    await setToken(cc.expired, 'expires_at', at(-31));
    await setToken(cc.recent, 'expires_at', at(-29));
    expect((await oauthForm(t, '/oauth/revoke', { token: cc.revoked }, { id: server.id, secret: server.secret! })).status).toBe(200);
    await setToken(cc.revoked, 'revoked_at', at(-31));
    // Codes, never exchanged: expired 2 days before → goes; half a day → stays.
    const codes = { old: await code(spa, pkcePair().challenge), recent: await code(spa, pkcePair().challenge) };
    await db.query('UPDATE oauth_codes SET expires_at = $2 WHERE code_hash = $1', [hash(codes.old), at(-2)]);
    await db.query('UPDATE oauth_codes SET expires_at = $2 WHERE code_hash = $1', [hash(codes.recent), at(-0.5)]);

    clock.set(new Date(T));
    const deleted = await t.app.get(RetentionService).purge({ batch_size: 1 }); // batches of one: the loop must go on
    expect(Object.fromEntries(OAUTH_KINDS.map((k) => [k, deleted[k]]))).toEqual({ oauth_codes: 1, oauth_tokens: 11, oauth_grants: 2 });

    const tokens = {
      liveAccess1: live.access1, liveRefresh1: live.refresh1, liveAccess2: live.access2, liveRefresh2: live.refresh2,
      lapsedAccess1: lapsed.access1, lapsedRefresh1: lapsed.refresh1, lapsedAccess2: lapsed.access2, lapsedRefresh2: lapsed.refresh2,
      recentAccess1: recent.access1, recentRefresh1: recent.refresh1, recentAccess2: recent.access2, recentRefresh2: recent.refresh2,
      revokedAccess1: revoked.access1, revokedRefresh1: revoked.refresh1, revokedAccess2: revoked.access2, revokedRefresh2: revoked.refresh2, ccExpired: cc.expired, ccRecent: cc.recent, ccRevoked: cc.revoked,
    };
    expect(await presentTokens(tokens)).toEqual([
      'ccRecent', 'liveAccess2', 'liveRefresh1', 'liveRefresh2', 'recentAccess1', 'recentAccess2', 'recentRefresh1', 'recentRefresh2',
    ]);
    expect(await presentGrants([live.grantId, lapsed.grantId, recent.grantId, revoked.grantId])).toEqual([live.grantId, recent.grantId].sort());
    const codeRows = await db.query('SELECT code_hash FROM oauth_codes WHERE code_hash = ANY($1)', [[hash(codes.old), hash(codes.recent)]]);
    expect(codeRows.map((r: { code_hash: string }) => r.code_hash)).toEqual([hash(codes.recent)]);
    // The same day again: nothing more.
    const again = await t.app.get(RetentionService).purge();
    expect(OAUTH_KINDS.map((k) => again[k])).toEqual([0, 0, 0]);

    // The live grant's used refresh token, though its own expiry is 40 days gone, is still reuse: the grant ends.
    expect((await t.http.get('/api/v1/products', { token: live.access2 })).status).toBe(200);
    const reuse = await oauthForm(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: live.refresh1, client_id: spa.id });
    expect(reuse.body.error).toBe('invalid_grant');
    expect((await t.http.get('/api/v1/products', { token: live.access2 })).status).toBe(401);
    expect((await oauthForm(t, '/oauth/token', { grant_type: 'refresh_token', refresh_token: live.refresh2, client_id: spa.id })).body.error).toBe('invalid_grant');
    // A deleted token is simply unknown.
    expect((await t.http.get('/api/v1/products', { token: cc.revoked })).status).toBe(401);

    // Eleven days on, the recently lapsed grant passes the retention too (its four tokens, then the grant),
    // and so do the client-credentials token that expired 29 days before and the code of half a day.
    clock.advance(11 * DAY);
    const later = await t.app.get(RetentionService).purge();
    expect(Object.fromEntries(OAUTH_KINDS.map((k) => [k, later[k]]))).toEqual({ oauth_codes: 1, oauth_tokens: 5, oauth_grants: 1 });
    expect(await presentGrants([recent.grantId])).toEqual([]);
    expect(await presentTokens(tokens)).toEqual(['liveAccess2', 'liveRefresh1', 'liveRefresh2']); // revoked by the reuse just now: kept 30 days
  });
});

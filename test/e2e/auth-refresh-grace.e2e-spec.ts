import { Clock } from '../../src/platform/clock/clock';
import { ownerDb } from '../support/owner-db';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';

interface Pair {
  access_token: string;
  refresh_token: string;
}

/**
 * A just-rotated refresh token presented again within REFRESH_REUSE_GRACE_SECONDS (30 s, the
 * default) returns the same successor pair; later, it revokes the family. Time moves with the
 * app's injectable Clock, which the token rules read.
 */
describe('refresh reuse grace window and concurrent refreshes (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  const clock = () => t.app.get(Clock);

  async function login(): Promise<Pair> {
    const res = await t.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password });
    expect(res.status).toBe(200);
    return res.body.data;
  }
  const refresh = (refreshToken: string) => t.http.post('/api/v1/auth/refresh', { refresh_token: refreshToken });
  const me = async (accessToken: string) => (await t.http.get('/api/v1/auth/me', { token: accessToken })).status;

  async function familyRows(refreshToken: string): Promise<{ used: number; total: number; sealed: string[] }> {
    const db = await ownerDb();
    const rows: { used_at: Date | null; successor_sealed: string | null }[] = await db.query(
      `SELECT used_at, successor_sealed FROM refresh_tokens
        WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex'))`,
      [refreshToken],
    );
    return { total: rows.length, used: rows.filter((r) => r.used_at).length, sealed: rows.flatMap((r) => (r.successor_sealed ? [r.successor_sealed] : [])) };
  }

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Grace shop');
  });
  afterEach(() => clock().reset());
  afterAll(() => t.close());

  it('returns the same successor pair to a repeat within the window, not a new one and not a revocation', async () => {
    const first = await login();
    const rotated = await refresh(first.refresh_token);
    expect(rotated.status).toBe(200);
    clock().advance(29_000);
    const again = await refresh(first.refresh_token);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(rotated.body.data);
    expect(await me(again.body.data.access_token)).toBe(200);
    // Still one rotation: the family holds the first token (used) and its one successor.
    const rows = await familyRows(first.refresh_token);
    expect(rows).toMatchObject({ total: 2, used: 1 });
    // The successor is kept sealed, never in clear.
    expect(rows.sealed).toHaveLength(1);
    expect(rows.sealed[0]).not.toContain(rotated.body.data.refresh_token);
    expect(rows.sealed[0]).not.toContain(rotated.body.data.access_token);
    // And the successor rotates on as usual.
    const next = await refresh(rotated.body.data.refresh_token);
    expect(next.status).toBe(200);
    expect(next.body.data.refresh_token).not.toBe(rotated.body.data.refresh_token);
  });

  it('revokes the whole family when the rotated token comes back after the window', async () => {
    const first = await login();
    const rotated = (await refresh(first.refresh_token)).body.data as Pair;
    clock().advance(31_000);
    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('authentication_error');
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
    expect(await me(rotated.access_token)).toBe(401);
    // Within the window again (back to real time) it is still refused: the family is gone.
    clock().reset();
    expect((await refresh(first.refresh_token)).status).toBe(401);
  });

  it('drops a rotated token\'s sealed successor once a later rotation finds its window over', async () => {
    const first = await login();
    const second = (await refresh(first.refresh_token)).body.data as Pair;
    clock().advance(31_000);
    expect((await refresh(second.refresh_token)).status).toBe(200);
    const rows = await familyRows(first.refresh_token);
    expect(rows).toMatchObject({ total: 3, used: 2 });
    expect(rows.sealed).toHaveLength(1); // only the latest rotation's successor is kept
  });

  it.each([2, 3, 5])('%i concurrent refreshes of one token all succeed with one and the same successor', async (n) => {
    const first = await login();
    const answers = await Promise.all(Array.from({ length: n }, () => refresh(first.refresh_token)));
    expect(answers.map((r) => r.status)).toEqual(Array(n).fill(200));
    const distinct = new Set(answers.map((r) => JSON.stringify(r.body.data)));
    expect(distinct.size).toBe(1);
    expect(await familyRows(first.refresh_token)).toMatchObject({ total: 2, used: 1 });
    const successor = answers[0].body.data as Pair;
    expect(await me(successor.access_token)).toBe(200);
    expect((await refresh(successor.refresh_token)).status).toBe(200);
  });

  it('gives nothing back within the window once the session was logged out', async () => {
    const first = await login();
    const rotated = (await refresh(first.refresh_token)).body.data as Pair;
    expect((await t.http.delete('/api/v1/auth/logout', { token: rotated.access_token })).status).toBe(204);
    expect((await refresh(first.refresh_token)).status).toBe(401);
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
  });
});

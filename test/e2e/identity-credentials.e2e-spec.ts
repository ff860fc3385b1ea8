import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import type { HttpClient } from '../support/http-client';
import { ownerDb } from '../support/owner-db';

/**
 * Credentials stay inside their mode and role (API.md: "User and API-key management takes only a
 * live-mode user access token of an owner or admin"; a password change, role change or deletion
 * ends that user's sessions at once).
 */
describe('credentials stay inside their mode and role (e2e)', () => {
  let a: TestApp;
  /** A second API instance on the same database and Redis: plays another replica. */
  let b: TestApp;
  let shop: TenantFixture;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    shop = await signUpTenant(a.http, 'Credentials shop');
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  /** Creates a user with `role` through the owner and logs it in; returns its id and tokens. */
  async function userWithRole(http: HttpClient, role: 'owner' | 'admin' | 'staff', password = 'first-password-1') {
    const email = `${role}-${randomUUID().slice(0, 8)}@example.test`;
    const created = await http.post('/api/v1/users', { email, password, role }, { token: shop.accessToken });
    expect(created.status).toBe(201);
    const login = await http.post('/api/v1/auth/login', { email, password, tenant_id: shop.tenantId });
    expect(login.status).toBe(200);
    return { id: created.body.data.id as string, email, password, access: login.body.data.access_token as string, refresh: login.body.data.refresh_token as string };
  }

  const userCount = async () => (await a.http.get('/api/v1/users', { token: shop.accessToken, query: { per_page: 1 } })).body.meta.total as number;

  describe('user and key management takes only live-mode user tokens of owners and admins', () => {
    it('refuses ck_test_ and ck_live_ keys and test-mode user tokens with 403; a live owner token works', async () => {
      const testKey = await createApiKey(a.http, shop.accessToken, { mode: 'test' });
      const liveKey = await createApiKey(a.http, shop.accessToken, { mode: 'live' });
      const sandboxLogin = await a.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password, mode: 'test' });
      expect(sandboxLogin.status).toBe(200);
      const testToken = sandboxLogin.body.data.access_token;
      const before = await userCount();

      for (const [name, token] of [['ck_test_ key', testKey.secret], ['ck_live_ key', liveKey.secret], ['test-mode owner token', testToken]]) {
        const calls = [
          await a.http.get('/api/v1/users', { token }),
          await a.http.post('/api/v1/users', { email: `intruder-${randomUUID().slice(0, 8)}@example.test`, password: 'intruder-pass-1', role: 'admin' }, { token }),
          await a.http.get(`/api/v1/users/${shop.ownerId}`, { token }),
          await a.http.patch(`/api/v1/users/${shop.ownerId}`, { password: 'taken-over-password' }, { token }),
          await a.http.delete(`/api/v1/users/${shop.ownerId}`, { token }),
          await a.http.get('/api/v1/api-keys', { token }),
          await a.http.post('/api/v1/api-keys', { name: 'minted', mode: 'live' }, { token }),
          await a.http.delete(`/api/v1/api-keys/${liveKey.id}`, { token }),
        ];
        expect({ name, statuses: calls.map((r) => r.status) }).toEqual({ name, statuses: Array(8).fill(403) });
        for (const r of calls) expect(r.body.error.code).toBe('authorization_error');
      }

      // Nothing changed: no user was created, the owner's password still works, the key still works.
      expect(await userCount()).toBe(before);
      expect((await a.http.post('/api/v1/auth/login', { email: shop.email, password: 'taken-over-password' })).status).toBe(401);
      expect((await a.http.post('/api/v1/auth/login', { email: shop.email, password: shop.password })).status).toBe(200);
      expect((await a.http.get('/api/v1/auth/me', { token: liveKey.secret })).status).toBe(200);

      // The live owner token manages both.
      expect((await a.http.get('/api/v1/users', { token: shop.accessToken })).status).toBe(200);
      expect((await a.http.get('/api/v1/api-keys', { token: shop.accessToken })).status).toBe(200);
      expect((await a.http.post('/api/v1/api-keys', { name: 'by owner', mode: 'test' }, { token: shop.accessToken })).status).toBe(201);
    });
  });

  describe('owners are managed only by owners', () => {
    it("an admin cannot change an owner's password or role, nor delete an owner (403)", async () => {
      const admin = await userWithRole(a.http, 'admin');
      const patchPassword = await a.http.patch(`/api/v1/users/${shop.ownerId}`, { password: 'admin-chose-this-1' }, { token: admin.access });
      const patchRole = await a.http.patch(`/api/v1/users/${shop.ownerId}`, { role: 'staff' }, { token: admin.access });
      const remove = await a.http.delete(`/api/v1/users/${shop.ownerId}`, { token: admin.access });
      expect([patchPassword.status, patchRole.status, remove.status]).toEqual([403, 403, 403]);
      for (const r of [patchPassword, patchRole, remove]) expect(r.body.error.code).toBe('authorization_error');

      expect((await a.http.post('/api/v1/auth/login', { email: shop.email, password: 'admin-chose-this-1' })).status).toBe(401);
      const owner = await a.http.get(`/api/v1/users/${shop.ownerId}`, { token: shop.accessToken });
      expect(owner.body.data.role).toBe('owner');
      // An admin still manages non-owners.
      const staff = await userWithRole(a.http, 'staff');
      expect((await a.http.patch(`/api/v1/users/${staff.id}`, { name: 'Renamed by admin' }, { token: admin.access })).status).toBe(200);
    });

    it('the last owner cannot be demoted (409)', async () => {
      const solo = await signUpTenant(a.http, 'Single owner');
      const res = await a.http.patch(`/api/v1/users/${solo.ownerId}`, { role: 'admin' }, { token: solo.accessToken });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      const me = await a.http.get('/api/v1/auth/me', { token: solo.accessToken });
      expect(me.body.data.user.role).toBe('owner');
    });

    it('two owners demoting each other at once leave exactly one owner', async () => {
      const duo = await signUpTenant(a.http, 'Two owners');
      const second = await a.http.post('/api/v1/users', { email: `second-${randomUUID().slice(0, 8)}@example.test`, password: 'second-owner-pw', role: 'owner' }, { token: duo.accessToken });
      expect(second.status).toBe(201);
      const secondLogin = await a.http.post('/api/v1/auth/login', { email: second.body.data.email, password: 'second-owner-pw', tenant_id: duo.tenantId });
      const [one, two] = await Promise.all([
        a.http.patch(`/api/v1/users/${second.body.data.id}`, { role: 'admin' }, { token: duo.accessToken }),
        b.http.patch(`/api/v1/users/${duo.ownerId}`, { role: 'admin' }, { token: secondLogin.body.data.access_token }),
      ]);
      const statuses = [one.status, two.status].sort();
      expect(statuses[0]).toBe(200);
      // The loser either saw the other's demotion (409) or had itself just been demoted (401).
      expect([401, 409]).toContain(statuses[1]);
      const [{ owners }] = await (await ownerDb()).query(
        "SELECT count(*)::int AS owners FROM users WHERE tenant_id = $1 AND role = 'owner'",
        [duo.tenantId],
      );
      expect(owners).toBe(1);
    });
  });

  describe('a role change, password change or deletion ends the sessions at once', () => {
    it("a demoted admin's old access token can no longer mint keys, on the very next request, on any replica", async () => {
      const admin = await userWithRole(a.http, 'admin');
      // Both replicas have seen (and may have cached) the admin's token before the change.
      expect((await a.http.post('/api/v1/api-keys', { name: 'before', access: 'read_write' }, { token: admin.access })).status).toBe(201);
      expect((await b.http.get('/api/v1/users', { token: admin.access })).status).toBe(200);
      const keysBefore = (await a.http.get('/api/v1/api-keys', { token: shop.accessToken, query: { per_page: 1 } })).body.meta.total;

      expect((await a.http.patch(`/api/v1/users/${admin.id}`, { role: 'staff' }, { token: shop.accessToken })).status).toBe(200);

      // API.md: a role change ends the user's sessions, so the old token is rejected (401), not
      // merely re-checked; on the replica that did not make the change just the same.
      for (const http of [b.http, a.http]) {
        const mint = await http.post('/api/v1/api-keys', { name: 'after', access: 'read_write' }, { token: admin.access });
        expect(mint.status).toBe(401);
        expect(mint.body.error.code).toBe('authentication_error');
      }
      expect((await a.http.post('/api/v1/auth/refresh', { refresh_token: admin.refresh })).status).toBe(401);
      expect((await a.http.get('/api/v1/api-keys', { token: shop.accessToken, query: { per_page: 1 } })).body.meta.total).toBe(keysBefore);

      // Logged in again, the user is staff: a valid credential that may not manage keys (403).
      const again = await b.http.post('/api/v1/auth/login', { email: admin.email, password: admin.password, tenant_id: shop.tenantId });
      const asStaff = await b.http.post('/api/v1/api-keys', { name: 'as staff', access: 'read_write' }, { token: again.body.data.access_token });
      expect(asStaff.status).toBe(403);
      expect(asStaff.body.error.code).toBe('authorization_error');
    });

    it('a password reset revokes the old refresh token and the old access token (401)', async () => {
      const staff = await userWithRole(a.http, 'staff');
      expect((await b.http.get('/api/v1/auth/me', { token: staff.access })).status).toBe(200);
      expect((await a.http.patch(`/api/v1/users/${staff.id}`, { password: 'brand-new-password' }, { token: shop.accessToken })).status).toBe(200);

      const refresh = await a.http.post('/api/v1/auth/refresh', { refresh_token: staff.refresh });
      expect(refresh.status).toBe(401);
      expect(refresh.body.error.code).toBe('authentication_error');
      for (const http of [a.http, b.http]) expect((await http.get('/api/v1/auth/me', { token: staff.access })).status).toBe(401);

      expect((await a.http.post('/api/v1/auth/login', { email: staff.email, password: staff.password, tenant_id: shop.tenantId })).status).toBe(401);
      const fresh = await a.http.post('/api/v1/auth/login', { email: staff.email, password: 'brand-new-password', tenant_id: shop.tenantId });
      expect(fresh.status).toBe(200);
      expect((await b.http.get('/api/v1/auth/me', { token: fresh.body.data.access_token })).status).toBe(200);
    });

    it("a deleted user's access token fails at once on every replica", async () => {
      const staff = await userWithRole(a.http, 'staff');
      expect((await b.http.get('/api/v1/auth/me', { token: staff.access })).status).toBe(200);
      expect((await a.http.delete(`/api/v1/users/${staff.id}`, { token: shop.accessToken })).status).toBe(204);
      for (const http of [a.http, b.http]) expect((await http.get('/api/v1/auth/me', { token: staff.access })).status).toBe(401);
      expect((await a.http.post('/api/v1/auth/refresh', { refresh_token: staff.refresh })).status).toBe(401);
    });

    it('a rename does not end sessions', async () => {
      const staff = await userWithRole(a.http, 'staff');
      expect((await a.http.patch(`/api/v1/users/${staff.id}`, { name: 'Just a rename' }, { token: shop.accessToken })).status).toBe(200);
      expect((await b.http.get('/api/v1/auth/me', { token: staff.access })).status).toBe(200);
      expect((await a.http.post('/api/v1/auth/refresh', { refresh_token: staff.refresh })).status).toBe(200);
    });
  });
});

import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant, type TenantFixture } from '../support/factories';

describe('queue dashboard at /admin/queues (e2e)', () => {
  let bootstrap: TestApp;
  let t: TestApp;
  let operator: TenantFixture;
  let customerTenant: TenantFixture;

  beforeAll(async () => {
    bootstrap = await startTestApp();
    operator = await signUpTenant(bootstrap.http, 'Operator');
    customerTenant = await signUpTenant(bootstrap.http, 'Some shop');
    await bootstrap.close();
    process.env.OPERATOR_TENANT_ID = operator.tenantId;
    t = await startTestApp();
  });
  afterAll(async () => {
    delete process.env.OPERATOR_TENANT_ID;
    await t.close();
  });

  it('refuses anonymous visitors and other tenants', async () => {
    const server = t.app.getHttpServer();
    expect((await request(server).get('/admin/queues')).status).toBe(401);
    const other = await request(server).get('/admin/queues').set('Authorization', `Bearer ${customerTenant.accessToken}`);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('authorization_error');
    expect((await request(server).get('/admin/queues').set('Authorization', 'Bearer forged')).status).toBe(401);
  });

  it("shows the queues to the operator tenant's owner, by header or by a one-time token link", async () => {
    const server = t.app.getHttpServer();
    const page = await request(server).get('/admin/queues').set('Authorization', `Bearer ${operator.accessToken}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const api = await request(server).get('/admin/queues/api/queues').set('Authorization', `Bearer ${operator.accessToken}`);
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['webhooks', 'system']));

    const link = await request(server).get(`/admin/queues?token=${operator.accessToken}`);
    expect(link.status).toBe(302);
    const setCookie = String(link.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    const withCookie = await request(server).get('/admin/queues/api/queues').set('Cookie', setCookie.split(';')[0]);
    expect(withCookie.status).toBe(200);
  });
});

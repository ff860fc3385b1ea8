import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/** `pageSize` and `page_size` as aliases of `per_page` (issue 22 item 4). */
describe('paging aliases (e2e)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'Alias shop');
    token = (await createApiKey(t.http, shop.accessToken)).secret;
    for (let i = 0; i < 3; i++) {
      const res = await t.http.post('/api/v1/customers', { email: `alias-${i}-${Date.now()}@example.test`, first_name: 'A', last_name: `N${i}` }, { token });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  it.each([['pageSize'], ['page_size'], ['per_page'], ['limit']])('honours %s', async (name) => {
    const res = await t.http.get('/api/v1/customers', { token, query: { [name]: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.meta).toMatchObject({ per_page: 2, total: 3, has_next: true });
  });

  it('accepts aliases that agree and refuses ones that disagree, or are out of range', async () => {
    expect((await t.http.get('/api/v1/customers', { token, query: { per_page: 1, pageSize: 1 } })).status).toBe(200);
    const conflict = await t.http.get('/api/v1/customers', { token, query: { per_page: 2, pageSize: 3 } });
    expect(conflict.status).toBe(400);
    expect(conflict.body.error.field).toBe('pageSize');
    expect((await t.http.get('/api/v1/customers', { token, query: { page_size: 201 } })).status).toBe(400);
  });
});

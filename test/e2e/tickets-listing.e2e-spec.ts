import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { createCustomer, customerLogin, type CustomerFixture, type CustomerLoginFixture } from '../support/portal-fixtures';

/** Ticket lists (filters, both paging modes), customer confinement, departments and the refusals. */
describe('tickets: lists, confinement and departments (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let alice: CustomerFixture;
  let bob: CustomerFixture;
  let alicePortal: CustomerLoginFixture;
  const ids: Record<string, string> = {};

  const staff = () => ({ token: shop.accessToken });
  const open = async (auth: { token: string }, body: Record<string, unknown>) => {
    const res = await t.http.post('/api/v1/tickets', body, auth);
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };
  const list = (query: Record<string, string | number>, auth = staff()) => t.http.get('/api/v1/tickets', { ...auth, query });
  const idsOf = (res: { body: { data: { id: string }[] } }) => res.body.data.map((x) => x.id).sort();

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Ticket lists');
    alice = await createCustomer(t.http, shop, 'Alice');
    bob = await createCustomer(t.http, shop, 'Bob');
    alicePortal = await customerLogin(t.http, shop, alice.id);
    expect((await t.http.put('/api/v1/settings/ticket-departments', { departments: [{ key: 'sales', name: 'Sales', email: null }, { key: 'abuse', name: 'Abuse', email: null }] }, staff())).status).toBe(200);
    ids.aliceHigh = await open(staff(), { customer_id: alice.id, subject: 'A1', body: 'x', priority: 'high', department: 'sales' });
    ids.aliceLow = await open(staff(), { customer_id: alice.id, subject: 'A2', body: 'x', priority: 'low' });
    ids.aliceOwn = await open({ token: alicePortal.accessToken }, { customer_id: alice.id, subject: 'A3', body: 'x', priority: 'normal', department: 'abuse' });
    ids.bobHigh = await open(staff(), { customer_id: bob.id, subject: 'B1', body: 'x', priority: 'high', department: 'sales' });
    ids.bobUrgent = await open(staff(), { customer_id: bob.id, subject: 'B2', body: 'x', priority: 'urgent' });
    expect((await t.http.post(`/api/v1/tickets/${ids.bobUrgent}/close`, undefined, staff())).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('filters by status, priority, customer, department and date range', async () => {
    expect(idsOf(await list({ priority: 'high' }))).toEqual([ids.aliceHigh, ids.bobHigh].sort());
    expect(idsOf(await list({ status: 'closed' }))).toEqual([ids.bobUrgent]);
    expect(idsOf(await list({ status: 'open' }))).toEqual([ids.aliceOwn]);
    expect(idsOf(await list({ status: 'answered', customer_id: alice.id }))).toEqual([ids.aliceHigh, ids.aliceLow].sort());
    expect(idsOf(await list({ department: 'sales' }))).toEqual([ids.aliceHigh, ids.bobHigh].sort());
    expect(idsOf(await list({ customer_id: bob.id, priority: 'urgent' }))).toEqual([ids.bobUrgent]);
    const all = await list({});
    expect(all.body.meta).toMatchObject({ total: 5, page: 1, has_next: false });
    expect(all.body.data[0].messages).toBeUndefined();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await list({ date_from: yesterday, date_to: tomorrow })).body.meta.total).toBe(5);
    expect((await list({ from: tomorrow })).body.meta.total).toBe(0);
    expect((await list({ date_to: yesterday })).body.meta.total).toBe(0);
  });

  it('pages by offset and by cursor, newest first, and by last activity', async () => {
    const first = await list({ per_page: 2 });
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 2, total: 5, total_pages: 3, has_next: true, has_previous: false });
    const second = await list({ per_page: 2, page: 2 });
    expect(second.body.meta).toMatchObject({ page: 2, has_next: true, has_previous: true });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ per_page: 2, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((x: { id: string }) => x.id));
      if (cursor) expect(page.body.meta.total).toBeUndefined();
      cursor = page.body.meta.has_more ? page.body.meta.next_cursor : undefined;
    } while (cursor);
    expect(seen).toEqual([ids.bobUrgent, ids.bobHigh, ids.aliceOwn, ids.aliceLow, ids.aliceHigh]);

    await t.http.post(`/api/v1/tickets/${ids.aliceHigh}/reply`, { body: 'bump' }, staff());
    const byActivity = await list({ sort: 'updated_at', order: 'desc', per_page: 1 });
    expect(byActivity.body.data[0].id).toBe(ids.aliceHigh);
  });

  it('answers 400 for unknown filter values and 422 for invalid bodies', async () => {
    const badStatus = await list({ status: 'pending' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.field).toBe('status');
    expect((await list({ priority: 'critical' })).status).toBe(400);
    expect((await list({ sort: 'subject' })).status).toBe(400);

    const noDept = await t.http.post('/api/v1/tickets', { customer_id: alice.id, subject: 's', body: 'b', priority: 'low', department: 'legal' }, staff());
    expect(noDept.status).toBe(422);
    expect(noDept.body.error.details[0].field).toBe('department');
    const missing = await t.http.post('/api/v1/tickets', { customer_id: alice.id, subject: 's', priority: 'low' }, staff());
    expect(missing.status).toBe(422);
    expect((await t.http.post(`/api/v1/tickets/${ids.aliceLow}/reply`, { body: '' }, staff())).status).toBe(422);
    expect((await t.http.post('/api/v1/tickets', { customer_id: 'cus_01h2xcejqtf2nbrexx3vqjhp41', subject: 's', body: 'b', priority: 'low' }, staff())).status).toBe(404);
    expect((await t.http.get('/api/v1/tickets/tkt_nope', staff())).status).toBe(404);
    expect((await t.http.get(`/api/v1/tickets/${ids.aliceLow.replace('tkt_', 'svc_')}`, staff())).status).toBe(404);
  });

  it('confines a customer user to its own tickets: other customers’ answer 404, never data', async () => {
    const auth = { token: alicePortal.accessToken };
    expect(idsOf(await list({}, auth))).toEqual([ids.aliceHigh, ids.aliceLow, ids.aliceOwn].sort());
    expect((await list({ customer_id: bob.id }, auth)).body.data).toEqual([]);
    expect((await t.http.get(`/api/v1/tickets/${ids.aliceLow}`, auth)).status).toBe(200);
    for (const res of [
      await t.http.get(`/api/v1/tickets/${ids.bobHigh}`, auth),
      await t.http.post(`/api/v1/tickets/${ids.bobHigh}/reply`, { body: 'me too' }, auth),
      await t.http.post(`/api/v1/tickets/${ids.bobHigh}/close`, undefined, auth),
      await t.http.post('/api/v1/tickets', { customer_id: bob.id, subject: 's', body: 'b', priority: 'low' }, auth),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // Bob's ticket is untouched.
    expect((await t.http.get(`/api/v1/tickets/${ids.bobHigh}`, staff())).body.data.message_count).toBe(1);
    // Another tenant sees none of them.
    const other = await signUpTenant(t.http, 'Other desk');
    expect((await t.http.get(`/api/v1/tickets/${ids.aliceLow}`, { token: other.accessToken })).status).toBe(404);
    expect((await t.http.get('/api/v1/tickets', { token: other.accessToken })).body.meta.total).toBe(0);
  });

  it('keeps departments per tenant: owners replace them, customers only read them, keys need tickets scopes', async () => {
    const readable = await t.http.get('/api/v1/settings/ticket-departments', { token: alicePortal.accessToken });
    expect(readable.status).toBe(200);
    expect(readable.body.data).toEqual([{ key: 'abuse', name: 'Abuse', email: null }, { key: 'sales', name: 'Sales', email: null }]);
    expect(readable.body.meta).toMatchObject({ total: 2, page: 1 });
    expect((await t.http.put('/api/v1/settings/ticket-departments', { departments: [] }, { token: alicePortal.accessToken })).status).toBe(403);

    const dup = await t.http.put('/api/v1/settings/ticket-departments', { departments: [{ key: 'a', name: 'A', email: null }, { key: 'a', name: 'B', email: null }] }, staff());
    expect(dup.status).toBe(422);
    expect(dup.body.error.details[0].field).toBe('departments[1].key');
    const badKey = await t.http.put('/api/v1/settings/ticket-departments', { departments: [{ key: 'Has Space', name: 'A', email: null }] }, staff());
    expect(badKey.status).toBe(422);

    const readOnly = await createApiKey(t.http, shop.accessToken, { scopes: ['tickets:read'] });
    expect((await t.http.get('/api/v1/settings/ticket-departments', { token: readOnly.secret })).status).toBe(200);
    expect((await t.http.put('/api/v1/settings/ticket-departments', { departments: [] }, { token: readOnly.secret })).status).toBe(403);
    expect((await t.http.post(`/api/v1/tickets/${ids.aliceLow}/reply`, { body: 'x' }, { token: readOnly.secret })).status).toBe(403);
    const orderKey = await createApiKey(t.http, shop.accessToken, { scopes: ['orders:read'] });
    expect((await t.http.get('/api/v1/tickets', { token: orderKey.secret })).status).toBe(403);

    const email = `desk-${randomUUID()}@example.test`;
    const replaced = await t.http.put('/api/v1/settings/ticket-departments', { departments: [{ key: 'hosting', name: 'Hosting', email }] }, staff());
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toEqual([{ key: 'hosting', name: 'Hosting', email }]);
    // A removed department stays on its tickets but can no longer be chosen.
    expect((await t.http.get(`/api/v1/tickets/${ids.aliceHigh}`, staff())).body.data.department).toBe('sales');
    expect((await t.http.post('/api/v1/tickets', { customer_id: alice.id, subject: 's', body: 'b', priority: 'low', department: 'sales' }, staff())).status).toBe(422);

    // Departments are the tenant's own, and the sandbox keeps its own set.
    const other = await signUpTenant(t.http, 'Other departments');
    expect((await t.http.get('/api/v1/settings/ticket-departments', { token: other.accessToken })).body.data).toEqual([]);
    const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
    expect((await t.http.get('/api/v1/settings/ticket-departments', { token: testKey.secret })).body.data).toEqual([]);
  });
});

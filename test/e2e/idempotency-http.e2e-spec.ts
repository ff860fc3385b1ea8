import { ownerDb } from '../support/owner-db';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';

/** Through the real HTTP stack: concurrent retries of one create with one Idempotency-Key. */
describe('idempotent creates over HTTP (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('50 parallel POST /customers with one key create exactly one customer', async () => {
    const shop = await signUpTenant(t.http, 'Retry storm');
    const body = { email: 'storm@example.test', first_name: 'Rita', last_name: 'Retry' };
    const headers = { 'Idempotency-Key': 'create-rita-1' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => t.http.post('/api/v1/customers', body, { token: shop.accessToken, headers })),
    );
    const created = answers.filter((r) => r.status === 201);
    const inFlight = answers.filter((r) => r.status === 409);
    expect(created.length + inFlight.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    // Every 201 is the same customer: the first answer, or its replay.
    expect(new Set(created.map((r) => r.body.data.id)).size).toBe(1);
    for (const r of inFlight) expect(r.body.error.code).toBe('conflict');

    const rows = await (await ownerDb()).query('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [shop.tenantId]);
    expect(rows[0].n).toBe(1);

    const replay = await t.http.post('/api/v1/customers', body, { token: shop.accessToken, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.data.id).toBe(created[0].body.data.id);

    const changed = await t.http.post('/api/v1/customers', { ...body, last_name: 'Other' }, { token: shop.accessToken, headers });
    expect(changed.status).toBe(422);
    expect(changed.body.error.code).toBe('idempotency_error');
  });
});

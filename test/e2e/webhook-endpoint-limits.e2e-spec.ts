import dnsPromises from 'node:dns/promises';
import { DataSource } from 'typeorm';
import { resetConfigCache } from '../../src/config/config';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

const CAP = 20; // WEBHOOK_MAX_ENDPOINTS_PER_TENANT's default

describe('webhook endpoints per tenant are capped (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Many endpoints');
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (token: string, n: number) =>
    t.http.post('/api/v1/webhooks', { url: `http://127.0.0.1:9/hook-${n}`, events: ['*'] }, { token });

  it(`answers 422 beyond ${CAP} endpoints per mode, also when the creations race`, async () => {
    const results = await Promise.all(Array.from({ length: CAP + 5 }, (_, i) => create(shop.accessToken, i)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(CAP);
    expect(statuses.filter((s) => s === 422)).toHaveLength(5);
    const refused = results.find((r) => r.status === 422)!;
    expect(refused.body.error).toMatchObject({ code: 'validation_error', field: 'url' });
    expect(refused.body.error.message).toContain(`At most ${CAP} webhook endpoints`);

    const list = await t.http.get('/api/v1/webhooks', { token: shop.accessToken, query: { per_page: 100 } });
    expect(list.body.meta.total).toBe(CAP);
    expect((await create(shop.accessToken, 21)).status).toBe(422);

    // The cap is per mode: the sandbox has its own.
    const testKey = await createApiKey(t.http, shop.accessToken, { mode: 'test' });
    expect((await create(testKey.secret, 1)).status).toBe(201);

    // A deleted endpoint frees its place.
    expect((await t.http.delete(`/api/v1/webhooks/${list.body.data[0].id}`, { token: shop.accessToken })).status).toBe(204);
    expect((await create(shop.accessToken, 22)).status).toBe(201);
    expect((await create(shop.accessToken, 23)).status).toBe(422);
  });
});

describe('webhook URLs are resolved before any transaction opens (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  const openTransactionsDuringLookup: number[] = [];
  let lookupSpy: jest.SpyInstance;

  beforeAll(async () => {
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'false';
    resetConfigCache();
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Resolved URLs');
    const dataSource = t.app.get(DataSource);
    // The resolver answers a public address; while it "resolves", count this database's open transactions.
    lookupSpy = jest.spyOn(dnsPromises, 'lookup').mockImplementation((async () => {
      const [row] = await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL`,
      );
      openTransactionsDuringLookup.push(row.n);
      return [{ address: '93.184.216.34', family: 4 }];
    }) as never);
  });
  afterAll(async () => {
    lookupSpy?.mockRestore();
    process.env.WEBHOOK_ALLOW_PRIVATE_URLS = 'true';
    resetConfigCache();
    await t?.close();
  });

  it('looks up the host of a created and an updated endpoint with no transaction open, Idempotency-Key or not', async () => {
    const created = await t.http.post(
      '/api/v1/webhooks',
      { url: 'https://hooks.example.com/in', events: ['order.created'] },
      { token: shop.accessToken, headers: { 'Idempotency-Key': 'create-endpoint-1' } },
    );
    expect(created.status).toBe(201);
    const updated = await t.http.patch(
      `/api/v1/webhooks/${created.body.data.id}`,
      { url: 'https://other-hooks.example.com/in' },
      { token: shop.accessToken, headers: { 'Idempotency-Key': 'update-endpoint-1' } },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.data.url).toBe('https://other-hooks.example.com/in');
    const plain = await t.http.post('/api/v1/webhooks', { url: 'https://third.example.com/in', events: ['*'] }, { token: shop.accessToken });
    expect(plain.status).toBe(201);

    expect(lookupSpy.mock.calls.map((c) => c[0])).toEqual(['hooks.example.com', 'other-hooks.example.com', 'third.example.com']);
    expect(openTransactionsDuringLookup).toEqual([0, 0, 0]);
  });

  it('still refuses a host that resolves to a private address, with 422 on url', async () => {
    lookupSpy.mockImplementationOnce((async () => [{ address: '10.1.2.3', family: 4 }]) as never);
    const res = await t.http.post(
      '/api/v1/webhooks',
      { url: 'https://internal.example.com/in', events: ['*'] },
      { token: shop.accessToken, headers: { 'Idempotency-Key': 'create-endpoint-private' } },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('url');
    expect(res.body.error.message).toContain('10.1.2.3');
  });
});

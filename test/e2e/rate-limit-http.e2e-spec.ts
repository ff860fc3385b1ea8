import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/** Two API instances, one Redis: the limit is shared, as it is between replicas in production. */
describe('rate limits across two app instances (e2e)', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('allows the 2× burst across both instances, then answers 429 with Retry-After', async () => {
    const tenant = await signUpTenant(a.http, 'Rate limited');
    // A plan with 5 reads a minute, set before the tenant's first authenticated request.
    await a.app.get(DataSource).query('UPDATE tenants SET rate_limit_reads = 5 WHERE id = $1', [tenant.tenantId]);
    const key = await createApiKey(a.http, tenant.accessToken);

    const statuses: number[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 === 0 ? a : b).http.get('/api/v1/auth/me', { token: key.secret });
      statuses.push(res.status);
      remaining.push(Number(res.headers['x-ratelimit-remaining']));
      // The header states the bucket's capacity (2 × 5 a minute), so remaining never exceeds it.
      expect(res.headers['x-ratelimit-limit']).toBe('10');
      expect(Number(res.headers['x-ratelimit-remaining'])).toBeLessThanOrEqual(Number(res.headers['x-ratelimit-limit']));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
    }
    expect(statuses).toEqual(Array(10).fill(200));
    expect(remaining).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

    const limited = await b.http.get('/api/v1/auth/me', { token: key.secret });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await a.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(429);

    // Another credential of the tenant has its own bucket but shares the tenant-wide one (issue 23:
    // more keys are not more capacity), which the first key has spent; writes have their own buckets.
    const other = await createApiKey(a.http, tenant.accessToken);
    const shared = await a.http.get('/api/v1/auth/me', { token: other.secret });
    expect(shared.status).toBe(429);
    expect(shared.body.error.message).toContain("the tenant's reads per minute (5)");
    const write = await b.http.post('/api/v1/customers', { email: `rl-${Date.now()}@example.test`, first_name: 'R', last_name: 'L' }, { token: other.secret });
    expect(write.status).toBe(201);
  });
});

import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthService } from '../../src/modules/identity/auth.service';
import { AUTH_POLICY, type AuthPolicy } from '../../src/platform/auth/auth.decorator';
import { setContext } from '../../src/platform/context/ctx.decorator';
import { RequestContext } from '../../src/platform/context/request-context';
import { RateLimitError } from '../../src/platform/errors/domain-errors';
import { RateLimitGuard } from '../../src/platform/rate-limit/rate-limit.guard';
import { Clock } from '../../src/platform/clock/clock';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';

const run = `${Date.now()}${process.pid}`;

/**
 * Runs `count` read requests of `token`'s caller through the app's own rate-limit guard (the real
 * authentication context, Redis and plan), `concurrency` at a time: the limiter's verdicts at a
 * volume the shared test machine could not serve over HTTP within a minute. Returns how many got 429.
 */
async function limiterVerdicts(t: TestApp, token: string, count: number, concurrency = 50): Promise<number> {
  const ctx = await t.app.get(AuthService).authenticate(RequestContext.anonymous('req_volume'), token);
  const guard = t.app.get(RateLimitGuard);
  const handler = () => undefined;
  SetMetadata(AUTH_POLICY, { resource: 'orders', access: 'read' } satisfies AuthPolicy)(handler);
  class VolumeController {}
  let refused = 0;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      const request = { id: 'req_volume', method: 'GET', ip: '127.0.0.1' };
      setContext(request, ctx);
      const reply = { header: () => reply };
      const context = {
        getHandler: () => handler,
        getClass: () => VolumeController,
        switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
      } as unknown as ExecutionContext;
      await guard.canActivate(context).catch((err: unknown) => {
        if (!(err instanceof RateLimitError)) throw err;
        refused++;
      });
    }
  }));
  return refused;
}

describe('plans: limits per minute, hour and day, per key and per tenant (e2e)', () => {
  let t: TestApp;
  let operator: TenantFixture;

  beforeAll(async () => {
    const bootstrap = await startTestApp();
    operator = await signUpTenant(bootstrap.http, 'Operator');
    await bootstrap.close();
    process.env.OPERATOR_TENANT_ID = operator.tenantId;
    t = await startTestApp();
  });
  afterAll(async () => {
    delete process.env.OPERATOR_TENANT_ID;
    t.app.get(Clock).reset();
    await t.close();
  });

  const createPlan = async (body: Record<string, unknown>) => {
    const res = await t.http.post('/api/v1/plans', { ...body, name: `${body.name}-${run}` }, { token: operator.accessToken });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; name: string };
  };
  const moveTenant = async (tenantId: string, plan: string) => {
    const res = await t.http.patch(`/api/v1/tenants/${tenantId}`, { plan }, { token: operator.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.data.plan).toBe(plan);
  };

  it('lets only the operator tenant\'s owners list, create and change plans and move tenants', async () => {
    const shop = await signUpTenant(t.http, 'Shop');
    expect((await t.http.get('/api/v1/plans', { token: shop.accessToken })).status).toBe(403);
    expect((await t.http.patch(`/api/v1/tenants/${shop.tenantId}`, { plan: 'enterprise' }, { token: shop.accessToken })).status).toBe(403);

    const list = await t.http.get('/api/v1/plans', { token: operator.accessToken });
    expect(list.status).toBe(200);
    const standard = list.body.data.find((p: { name: string }) => p.name === 'standard');
    // The default plan reproduces the configured per-minute limits, with no hourly or daily cap.
    expect(standard).toMatchObject({ reads_per_minute: null, writes_per_minute: null, reads_per_hour: null, reads_per_day: null, burst_factor: 2 });
    expect(list.body.data.find((p: { name: string }) => p.name === 'enterprise')).toMatchObject({ reads_per_minute: 10000 });

    const plan = await createPlan({ name: 'growth', reads_per_minute: 1000, reads_per_hour: 30000 });
    const dup = await t.http.post('/api/v1/plans', { name: plan.name }, { token: operator.accessToken });
    expect(dup.status).toBe(409);
    const patched = await t.http.patch(`/api/v1/plans/${plan.id}`, { reads_per_hour: null, writes_per_day: 5000 }, { token: operator.accessToken });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ reads_per_minute: 1000, reads_per_hour: null, writes_per_day: 5000 });
    expect((await t.http.patch('/api/v1/plans/plan_01kc0000000000000000000009', { reads_per_day: 1 }, { token: operator.accessToken })).status).toBe(404);

    const unknown = await t.http.patch(`/api/v1/tenants/${shop.tenantId}`, { plan: `nope-${run}` }, { token: operator.accessToken });
    expect(unknown.status).toBe(422);
    await moveTenant(shop.tenantId, plan.name);
  });

  it('lets an enterprise tenant sustain 10,000 reads a minute while a standard-sized plan is limited', async () => {
    const enterprise = await signUpTenant(t.http, 'Big shop');
    await moveTenant(enterprise.tenantId, 'enterprise');
    const bigKey = await createApiKey(t.http, enterprise.accessToken);
    expect(await limiterVerdicts(t, bigKey.secret, 10_000)).toBe(0);
    const res = await t.http.get('/api/v1/auth/me', { token: bigKey.secret });
    expect(res.status).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('20000'); // 2 minutes' worth of 10,000

    // A plan with today's shipped standard limits (120 reads a minute, bursts to 240).
    const standard = await createPlan({ name: 'standard-like', reads_per_minute: 120, writes_per_minute: 30 });
    const small = await signUpTenant(t.http, 'Small shop');
    await moveTenant(small.tenantId, standard.name);
    const smallKey = await createApiKey(t.http, small.accessToken);
    expect(await limiterVerdicts(t, smallKey.secret, 1_000)).toBeGreaterThan(500);
    const limited = await t.http.get('/api/v1/auth/me', { token: smallKey.secret });
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toContain('reads per minute (120)');
  }, 120_000);

  it('trips the hourly and then the daily window on the injected clock, naming the window', async () => {
    const clock = t.app.get(Clock);
    const plan = await createPlan({ name: 'windows', reads_per_minute: 1000, reads_per_hour: 5, reads_per_day: 8 });
    const shop = await signUpTenant(t.http, 'Windowed shop');
    await moveTenant(shop.tenantId, plan.name);
    const key = await createApiKey(t.http, shop.accessToken);
    try {
      clock.set(new Date('2031-03-04T10:15:00Z'));
      for (let i = 0; i < 5; i++) expect((await t.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(200);
      const hourly = await t.http.get('/api/v1/auth/me', { token: key.secret });
      expect(hourly.status).toBe(429);
      expect(hourly.body.error.message).toContain('reads per hour (5)');
      expect(hourly.headers['x-ratelimit-limit']).toBe('5');
      expect(Number(hourly.headers['retry-after'])).toBe(45 * 60);

      clock.set(new Date('2031-03-04T11:00:00Z'));
      const afterHour = await t.http.get('/api/v1/auth/me', { token: key.secret });
      expect(afterHour.status).toBe(200);
      expect(afterHour.headers['x-ratelimit-remaining']).toBe('2'); // 8 a day, 6 used
      for (let i = 0; i < 2; i++) expect((await t.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(200);
      const daily = await t.http.get('/api/v1/auth/me', { token: key.secret });
      expect(daily.status).toBe(429);
      expect(daily.body.error.message).toContain('reads per day (8)');

      clock.set(new Date('2031-03-05T00:00:01Z'));
      expect((await t.http.get('/api/v1/auth/me', { token: key.secret })).status).toBe(200);
    } finally {
      clock.reset();
    }
  });

  it('counts every key of a tenant against one tenant-wide bucket', async () => {
    const shop = await signUpTenant(t.http, 'Many keys');
    // 3 reads a minute: a bucket of 6, for each key and for the tenant as a whole.
    await t.app.get(DataSource).query('UPDATE tenants SET rate_limit_reads = 3 WHERE id = $1', [shop.tenantId]);
    const keys = [];
    for (let i = 0; i < 10; i++) keys.push(await createApiKey(t.http, shop.accessToken, { name: `k${i}` }));
    const results = [];
    for (const key of keys) results.push(await t.http.get('/api/v1/auth/me', { token: key.secret }));
    expect(results.map((r) => r.status)).toEqual([...Array(6).fill(200), ...Array(4).fill(429)]);
    expect(results[6].body.error.message).toContain("the tenant's reads per minute (3)");
    // Writes have their own tenant bucket.
    expect((await t.http.post('/api/v1/customers', { email: `c-${run}@example.test`, first_name: 'Ada', last_name: 'L' }, { token: keys[9].secret })).status).toBe(201);
  });

  it('applies a key\'s own lower limits, and refuses overrides above the plan', async () => {
    const shop = await signUpTenant(t.http, 'Override shop');
    const tooHigh = await t.http.post('/api/v1/api-keys', { name: 'x', rate_limits: { reads_per_minute: 10_000_000 } }, { token: shop.accessToken });
    expect(tooHigh.status).toBe(422);
    expect(tooHigh.body.error.details[0].field).toBe('rate_limits.reads_per_minute');
    const created = await t.http.post('/api/v1/api-keys', { name: 'slow', rate_limits: { reads_per_minute: 2 } }, { token: shop.accessToken });
    expect(created.status).toBe(201);
    expect(created.body.data.rate_limits).toEqual({ reads_per_minute: 2 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await t.http.get('/api/v1/auth/me', { token: created.body.data.secret })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // The tenant's other credentials are unaffected.
    expect((await t.http.get('/api/v1/auth/me', { token: shop.accessToken })).status).toBe(200);
  });

  it('caps active API keys per tenant: the 51st answers 409 until one is revoked', async () => {
    const shop = await signUpTenant(t.http, 'Key hoarder');
    const keys = [];
    for (let i = 0; i < 50; i++) keys.push(await createApiKey(t.http, shop.accessToken, { name: `k${i}`, mode: i % 2 ? 'test' : 'live' }));
    const over = await t.http.post('/api/v1/api-keys', { name: 'one too many' }, { token: shop.accessToken });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('at most 50');
    expect((await t.http.delete(`/api/v1/api-keys/${keys[0].id}`, { token: shop.accessToken })).status).toBe(204);
    expect((await t.http.post('/api/v1/api-keys', { name: 'replacement' }, { token: shop.accessToken })).status).toBe(201);
  }, 60_000);
});

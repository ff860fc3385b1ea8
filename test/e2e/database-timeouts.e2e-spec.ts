import { Controller, Get, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Public } from '../../src/platform/auth/auth.decorator';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { ownerDb } from '../support/owner-db';
import type { CreateAppOptions } from '../../src/app.factory';
import type { ErrorBody } from '../support/typed-api';

/**
 * Test-only route (never in production code): a transaction that does 600 ms of non-database
 * work between two statements, as a request doing network I/O inside its transaction would.
 */
@Controller('__fixture_idle')
class IdleFixtureController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Public()
  @Get()
  idle() {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1');
      // The handler itself idles inside a transaction: the idle time is what the test is about.
      await new Promise((r) => setTimeout(r, 600));
      await manager.query('SELECT 1');
      return { idled: true };
    });
  }
}

@Module({ controllers: [IdleFixtureController] })
class IdleFixtureModule {}

/** Starts the API with these settings (and restores the environment afterwards). */
async function appWith(settings: Record<string, string>, extraModules: NonNullable<CreateAppOptions['extraModules']> = []): Promise<{ app: TestApp; restore: () => void }> {
  const before = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  const restore = () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  try {
    return { app: await startTestApp({ extraModules }), restore };
  } catch (err) {
    restore();
    throw err;
  }
}

function expectServiceUnavailable(res: { status: number; headers: Record<string, string>; body: ErrorBody }): void {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('2');
  expect(res.body.error).toMatchObject({ code: 'service_unavailable', request_id: res.headers['x-request-id'] });
  expect(JSON.stringify(res.body)).not.toMatch(/SELECT|timeout exceeded|canceling statement/);
}

describe('database pool and timeouts answer 503 with Retry-After, never hang (e2e)', () => {
  it('a pool of 1 held by someone else: the request waits the acquire timeout, then 503; freed, it works again', async () => {
    const { app, restore } = await appWith({ DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '300' });
    try {
      const owner = await signUpTenant(app.http, 'Pool shop');
      const key = await createApiKey(app.http, owner.accessToken, { access: 'read_only' });
      const held = app.app.get(DataSource).createQueryRunner();
      await held.connect(); // takes the pool's only connection
      try {
        const started = Date.now();
        const responses = await Promise.all([1, 2, 3].map(() => app.http.get('/api/v1/products', { token: key.secret })));
        const elapsed = Date.now() - started;
        for (const res of responses) expectServiceUnavailable(res);
        expect(elapsed).toBeLessThan(3000);
        console.log(`pool of 1 held: 3 parallel requests → ${responses.map((r) => r.status).join(', ')} in ${elapsed} ms`);
      } finally {
        await held.release();
      }
      expect((await app.http.get('/api/v1/products', { token: key.secret })).status).toBe(200);
    } finally {
      await app.close();
      restore();
    }
  });

  it('a statement past statement_timeout (57014) on a list over a large table: 503, and the server is fine after', async () => {
    // Seeded through the normal app first: the tenant and 300,000 products of one category (counting them takes
    // well past 40 ms on any machine; 100,000 was counted in under 40 ms once the list ran in one read transaction).
    const seeder = await startTestApp();
    let owner: Awaited<ReturnType<typeof signUpTenant>>;
    let secret: string;
    try {
      owner = await signUpTenant(seeder.http, 'Slow shop');
      secret = (await createApiKey(seeder.http, owner.accessToken, { access: 'read_only' })).secret;
      await (await ownerDb()).query(
        `INSERT INTO products (id, tenant_id, mode, sku, name, price, categories)
         SELECT 'prod_slow' || g, $1, 'live', 'SLOW-' || g, 'Slow product ' || g, 100, ARRAY['bulk']
           FROM generate_series(1, 300000) g`,
        [owner.tenantId],
      );
      await (await ownerDb()).query('ANALYZE products');
    } finally {
      await seeder.close();
    }

    const { app, restore } = await appWith({ DATABASE_STATEMENT_TIMEOUT_MS: '40' });
    try {
      const [{ statement_timeout }] = await app.app.get(DataSource).query('SHOW statement_timeout');
      expect(statement_timeout).toBe('40ms');
      const started = Date.now();
      const res = await app.http.get('/api/v1/products', { token: secret, query: { category: 'bulk', sort: 'name', per_page: 200 } });
      console.log(`statement_timeout 40 ms, list over 300,000 rows → ${res.status} in ${Date.now() - started} ms`);
      expectServiceUnavailable(res);
      // The same pool still serves: the timeout cancelled one statement, not the connection or the server.
      expect((await request(app.app.getHttpServer()).get('/health/ready')).status).toBe(200);
    } finally {
      await app.close();
      restore();
      // As the owner: the app's role sees no rows without a tenant scope (RLS).
      await (await ownerDb()).query(`DELETE FROM products WHERE tenant_id = $1`, [owner!.tenantId]);
    }
  }, 120_000);

  it('a request that idles inside its transaction past the timeout: PostgreSQL ends the session, the request answers 503', async () => {
    const { app, restore } = await appWith({ DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '200' }, [IdleFixtureModule]);
    try {
      const started = Date.now();
      const res = await request(app.app.getHttpServer()).get('/api/v1/__fixture_idle');
      console.log(`idle_in_transaction_session_timeout 200 ms, request idling 600 ms → ${res.status} in ${Date.now() - started} ms`);
      expectServiceUnavailable(res);
      // The pool replaced the ended session: the next request is served.
      expect((await request(app.app.getHttpServer()).get('/health/ready')).status).toBe(200);
    } finally {
      await app.close();
      restore();
    }
  });
});

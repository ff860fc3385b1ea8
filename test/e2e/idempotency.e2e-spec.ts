import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Body, Controller, HttpCode, Module, Param, Patch, Post } from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModule } from '@nestjs/testing';
import { IsBoolean, IsInt, IsOptional } from 'class-validator';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ownerDb } from '../support/owner-db';
import { API_PREFIX } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { resetConfigCache } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { TransactionService } from '../../src/database/transaction.service';
import { Auth, Public } from '../../src/platform/auth/auth.decorator';
import { Ctx } from '../../src/platform/context/ctx.decorator';
import { RequestContext, type Mode } from '../../src/platform/context/request-context';
import { ConflictError, IdempotencyError, InvalidRequestError } from '../../src/platform/errors/domain-errors';
import { genRequestId } from '../../src/platform/http/request-id';
import { createValidationPipe } from '../../src/platform/http/validation.pipe';
import { IdempotencyInterceptor } from '../../src/platform/idempotency/idempotency.interceptor';
import { IdempotencyModule } from '../../src/platform/idempotency/idempotency.module';
import { IdempotencyPurgeService } from '../../src/platform/idempotency/idempotency-purge.service';
import { IdempotencyService, type IdempotentResponse } from '../../src/platform/idempotency/idempotency.service';
import { fingerprintPath } from '../../src/platform/idempotency/request-fingerprint';
import { waitFor } from '../support/wait';

const RUN = `${Date.now()}_${process.pid}`;

/** Rows in this table are the "side effects" of the work the tests run under a key. */
async function effectsOf(dataSource: DataSource, tenantId: string): Promise<number[]> {
  const rows: { n: number }[] = await dataSource.query('SELECT n FROM idem_test_effects WHERE tenant_id = $1 ORDER BY n', [tenantId]);
  return rows.map((r) => r.n);
}

async function storedKey(dataSource: DataSource, tenantId: string, mode: Mode, key: string) {
  const rows = await dataSource.query('SELECT * FROM idempotency_keys WHERE tenant_id = $1 AND mode = $2 AND key = $3', [tenantId, mode, key]);
  return rows[0] ?? null;
}

describe('idempotency keys (e2e)', () => {
  describe('IdempotencyService on PostgreSQL', () => {
    let moduleRef: TestingModule;
    let dataSource: DataSource;
    let idempotency: IdempotencyService;
    let runs = 0;

    const tenant = `ten_test_${RUN}`;
    const ctxFor = (tenantId = tenant, mode: Mode = 'live') => RequestContext.system('idempotency-test', tenantId, mode);
    const fp = (body: unknown, path = '/api/v1/orders', method = 'POST') => ({ method, path, body });

    /** Work that writes one side-effect row through the transaction it is handed. */
    const work =
      (n: number, options: { sleepMs?: number; fail?: boolean } = {}) =>
      async (txCtx: RequestContext): Promise<IdempotentResponse> => {
        runs += 1;
        expect(txCtx.manager?.queryRunner?.isTransactionActive).toBe(true);
        await txCtx.manager!.query('INSERT INTO idem_test_effects (tenant_id, n) VALUES ($1, $2)', [txCtx.tenant, n]);
        if (options.sleepMs) await txCtx.manager!.query('SELECT pg_sleep($1)', [options.sleepMs / 1000]);
        if (options.fail) throw new Error('payment provider timed out');
        return { status: 201, body: { data: { id: `ord_${n}`, n, created_at: new Date().toISOString() }, meta: { request_id: `req_${n}`, livemode: txCtx.livemode } } };
      };

    beforeAll(async () => {
      resetConfigCache();
      moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, IdempotencyModule] }).compile();
      await moduleRef.init();
      dataSource = await ownerDb();
      idempotency = moduleRef.get(IdempotencyService);
      await dataSource.query('CREATE TABLE IF NOT EXISTS idem_test_effects (tenant_id text, n int)');
    });
    afterAll(async () => {
      await dataSource?.query('DROP TABLE IF EXISTS idem_test_effects');
      await moduleRef?.close();
    });

    it('(a) runs once for a key and replays the stored status and body after', async () => {
      const t = `${tenant}_a`;
      const before = runs;
      const first = await idempotency.execute(ctxFor(t), 'key-a', fp({ amount: 100, currency: 'eur' }), work(1));
      // Same request with the body's keys in another order: canonical JSON makes it the same.
      const second = await idempotency.execute(ctxFor(t), 'key-a', fp({ currency: 'eur', amount: 100 }), work(2));
      expect(runs - before).toBe(1);
      expect(first.replayed).toBe(false);
      expect(second.replayed).toBe(true);
      expect(second.status).toBe(first.status);
      expect(second.body).toEqual(first.body);
      expect(await effectsOf(dataSource, t)).toEqual([1]);
      const row = await storedKey(dataSource, t, 'live', 'key-a');
      expect(row).toMatchObject({ method: 'POST', path: '/api/v1/orders', response_status: 201 });
      expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('(b) answers 422 idempotency_error for the same key with a different body, path or method', async () => {
      const t = `${tenant}_b`;
      await idempotency.execute(ctxFor(t), 'key-b', fp({ amount: 100 }), work(1));
      const differentBody = idempotency.execute(ctxFor(t), 'key-b', fp({ amount: 101 }), work(2));
      await expect(differentBody).rejects.toBeInstanceOf(IdempotencyError);
      await expect(differentBody).rejects.toMatchObject({ status: 422, code: 'idempotency_error' });
      await expect(idempotency.execute(ctxFor(t), 'key-b', fp({ amount: 100 }, '/api/v1/invoices'), work(3))).rejects.toBeInstanceOf(IdempotencyError);
      await expect(idempotency.execute(ctxFor(t), 'key-b', fp({ amount: 100 }, '/api/v1/orders', 'PATCH'), work(4))).rejects.toBeInstanceOf(IdempotencyError);
      expect(await effectsOf(dataSource, t)).toEqual([1]);
    });

    it('(c) 50 parallel requests with one key: one side effect, the others replay or get 409', async () => {
      const t = `${tenant}_c`;
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => idempotency.execute(ctxFor(t), 'key-c', fp({ amount: 5 }), work(i + 1, { sleepMs: 200 }))),
      );
      const fresh = results.filter((r) => r.status === 'fulfilled' && !r.value.replayed);
      const replays = results.filter((r) => r.status === 'fulfilled' && r.value.replayed);
      const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError && r.reason.status === 409);
      const other = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof ConflictError));
      expect(other).toEqual([]);
      expect(fresh).toHaveLength(1);
      expect(replays.length + conflicts.length).toBe(49);
      const winner = (fresh[0] as PromiseFulfilledResult<{ status: number; body: unknown }>).value;
      for (const r of replays as PromiseFulfilledResult<{ status: number; body: unknown }>[]) {
        expect(r.value.status).toBe(winner.status);
        expect(r.value.body).toEqual(winner.body);
      }
      for (const r of conflicts as PromiseRejectedResult[]) {
        expect(r.reason.message).toBe('A request with this Idempotency-Key is still being processed; retry later');
      }
      expect(await effectsOf(dataSource, t)).toHaveLength(1);
      // Once the first has committed, the key replays.
      const after = await idempotency.execute(ctxFor(t), 'key-c', fp({ amount: 5 }), work(99));
      expect(after).toEqual({ replayed: true, status: winner.status, body: winner.body });
      console.log(`50 parallel: 1 fresh, ${replays.length} replayed, ${conflicts.length} conflict (409)`);
    });

    it('(d) a run that throws stores nothing and undoes its writes; a retry with the key runs', async () => {
      const t = `${tenant}_d`;
      await expect(idempotency.execute(ctxFor(t), 'key-d', fp({ amount: 7 }), work(1, { fail: true }))).rejects.toThrow('payment provider timed out');
      expect(await effectsOf(dataSource, t)).toEqual([]);
      expect(await storedKey(dataSource, t, 'live', 'key-d')).toBeNull();
      const retry = await idempotency.execute(ctxFor(t), 'key-d', fp({ amount: 7 }), work(2));
      expect(retry.replayed).toBe(false);
      expect(await effectsOf(dataSource, t)).toEqual([2]);
      expect((await idempotency.execute(ctxFor(t), 'key-d', fp({ amount: 7 }), work(3))).replayed).toBe(true);
    });

    it('(e) keys are per tenant and per mode', async () => {
      const t1 = `${tenant}_e1`;
      const t2 = `${tenant}_e2`;
      const live1 = await idempotency.execute(ctxFor(t1, 'live'), 'key-e', fp({ amount: 1 }), work(1));
      const live2 = await idempotency.execute(ctxFor(t2, 'live'), 'key-e', fp({ amount: 1 }), work(2));
      const test1 = await idempotency.execute(ctxFor(t1, 'test'), 'key-e', fp({ amount: 1 }), work(3));
      // A different body under the same key in another tenant or mode is not a mismatch either.
      const test2 = await idempotency.execute(ctxFor(t2, 'test'), 'key-e', fp({ amount: 2 }), work(4));
      expect([live1, live2, test1, test2].map((r) => r.replayed)).toEqual([false, false, false, false]);
      expect(await effectsOf(dataSource, t1)).toEqual([1, 3]);
      expect(await effectsOf(dataSource, t2)).toEqual([2, 4]);
      expect((await idempotency.execute(ctxFor(t1, 'test'), 'key-e', fp({ amount: 1 }), work(5))).body).toEqual(test1.body);
    });

    it('treats a stored response older than 24 h as absent', async () => {
      const t = `${tenant}_ttl`;
      await idempotency.execute(ctxFor(t), 'key-ttl', fp({ amount: 1 }), work(1));
      await dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1`, [t]);
      const again = await idempotency.execute(ctxFor(t), 'key-ttl', fp({ amount: 2 }), work(2));
      expect(again.replayed).toBe(false);
      expect(await effectsOf(dataSource, t)).toEqual([1, 2]);
    });

    it('rejects an empty key and one over 255 characters with 400 naming the header', async () => {
      for (const key of ['', 'k'.repeat(256)]) {
        const attempt = idempotency.execute(ctxFor(), key, fp({}), work(1));
        await expect(attempt).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(attempt).rejects.toMatchObject({ status: 400, field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 characters' });
      }
      expect((await idempotency.execute(ctxFor(`${tenant}_len`), 'k'.repeat(255), fp({}), work(1))).replayed).toBe(false);
    });

    it('(f) the purge job deletes responses older than 24 h, in batches, and keeps fresh ones', async () => {
      const t = `${tenant}_f`;
      for (const key of ['old-1', 'old-2', 'old-3', 'fresh']) await idempotency.execute(ctxFor(t), key, fp({ key }), work(1));
      await dataSource.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE tenant_id = $1 AND key LIKE 'old-%'`, [t]);
      const purged = await moduleRef.get(IdempotencyPurgeService).purge({ batch_size: 2 });
      expect(purged).toBeGreaterThanOrEqual(3);
      const left: { key: string }[] = await dataSource.query('SELECT key FROM idempotency_keys WHERE tenant_id = $1', [t]);
      expect(left.map((r) => r.key)).toEqual(['fresh']);
      expect(await moduleRef.get(IdempotencyPurgeService).purge()).toBe(0);
    });

    it('fingerprints the path with its query parameters sorted', () => {
      expect(fingerprintPath('/api/v1/x')).toBe('/api/v1/x');
      expect(fingerprintPath('/api/v1/x?')).toBe('/api/v1/x');
      expect(fingerprintPath('/api/v1/x?b=2&a=1&a=0')).toBe('/api/v1/x?a=1&a=0&b=2');
    });
  });

  describe('IdempotencyInterceptor over HTTP (outermost, before the envelope)', () => {
    class EffectBody {
      @IsInt() n: number;
      @IsOptional() @IsBoolean() fail?: boolean;
      @IsOptional() @IsInt() sleep_ms?: number;
    }

    /** A route whose service writes through TransactionService, as real routes do. */
    @Controller('__idem')
    class IdemFixtureController {
      constructor(private readonly tx: TransactionService) {}

      private write(ctx: RequestContext, tenantId: string, body: EffectBody) {
        return this.tx.run(ctx, async (txCtx) => {
          const m = this.tx.managerFor(txCtx);
          await m.query('INSERT INTO idem_test_effects (tenant_id, n) VALUES ($1, $2)', [tenantId, body.n]);
          if (body.sleep_ms) await m.query('SELECT pg_sleep($1)', [body.sleep_ms / 1000]);
          if (body.fail) throw new ConflictError('Fixture fails after its write');
          return { n: body.n, joined_request_transaction: ctx.manager?.queryRunner?.isTransactionActive === true };
        });
      }

      @Auth('idem_fixture', 'write')
      @Post('effects')
      create(@Ctx() ctx: RequestContext, @Body() body: EffectBody) {
        return this.write(ctx, ctx.tenant, body);
      }

      @Auth('idem_fixture', 'write')
      @Post('effects/accepted')
      @HttpCode(202)
      accept(@Ctx() ctx: RequestContext, @Body() body: EffectBody) {
        return this.write(ctx, ctx.tenant, body);
      }

      @Auth('idem_fixture', 'write')
      @Patch('effects/:n')
      update(@Ctx() ctx: RequestContext, @Param('n') _n: string, @Body() body: EffectBody) {
        return this.write(ctx, ctx.tenant, body);
      }

      @Public()
      @Post('anonymous')
      anonymous(@Ctx() ctx: RequestContext, @Body() body: EffectBody) {
        return this.write(ctx, `anon_${RUN}`, body);
      }
    }

    /** As app.module.ts will be wired: the idempotency interceptor registered before EnvelopeInterceptor. */
    @Module({
      imports: [IdempotencyModule, AppModule],
      controllers: [IdemFixtureController],
      providers: [{ provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor }],
    })
    class IdempotencyTestRoot {}

    let app: NestFastifyApplication;
    let dataSource: DataSource;
    let owner: { tenantId: string; token: string };
    let other: { tenantId: string; token: string };
    const server = () => request(app.getHttpServer());

    async function signUp(name: string) {
      const res = await server()
        .post(`/${API_PREFIX}/tenants`)
        .send({ name, email: `idem-${name}-${RUN}@example.test`, password: 'correct-horse-battery' });
      if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { tenantId: res.body.data.tenant.id as string, token: res.body.data.access_token as string };
    }

    function post(path: string, body: object, key?: string, token = owner.token) {
      const req = server().post(`/${API_PREFIX}/__idem/${path}`).set('Authorization', `Bearer ${token}`);
      return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
    }

    beforeAll(async () => {
      resetConfigCache();
      app = await NestFactory.create<NestFastifyApplication>(IdempotencyTestRoot, new FastifyAdapter({ genReqId: (raw: object) => genRequestId(raw as IncomingMessage), requestIdHeader: false }), { logger: false });
      app.setGlobalPrefix(API_PREFIX);
      app.useGlobalPipes(createValidationPipe());
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      dataSource = await ownerDb();
      await dataSource.query('CREATE TABLE IF NOT EXISTS idem_test_effects (tenant_id text, n int)');
      owner = await signUp('owner');
      other = await signUp('other');
    });
    afterAll(async () => {
      await dataSource?.query('DROP TABLE IF EXISTS idem_test_effects');
      await app?.close();
    });

    it('stores the enveloped response and replays it with Idempotent-Replayed: true', async () => {
      const first = await post('effects', { n: 1 }, 'http-a');
      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      // The route's TransactionService.run joined the idempotency transaction.
      expect(first.body.data).toEqual({ n: 1, joined_request_transaction: true });
      const again = await post('effects', { n: 1 }, 'http-a');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      // Stored after the envelope: the replay carries the first request's meta, request_id included.
      expect(again.body.meta.request_id).toBe(first.body.meta.request_id);
      expect(await effectsOf(dataSource, owner.tenantId)).toEqual([1]);
    });

    it('answers 422 for the same key with another body or path, 400 for a bad key', async () => {
      await post('effects', { n: 2 }, 'http-b');
      const body = await post('effects', { n: 3 }, 'http-b');
      expect(body.status).toBe(422);
      expect(body.body.error).toMatchObject({ code: 'idempotency_error', message: 'Idempotency-Key was already used with a different request' });
      const path = await server().patch(`/${API_PREFIX}/__idem/effects/2`).set('Authorization', `Bearer ${owner.token}`).set('Idempotency-Key', 'http-b').send({ n: 2 });
      expect(path.status).toBe(422);
      const long = await post('effects', { n: 4 }, 'x'.repeat(256));
      expect(long.status).toBe(400);
      expect(long.body.error).toMatchObject({ code: 'invalid_request', field: 'Idempotency-Key' });
      expect((await post('effects', { n: 4 }, '')).status).toBe(400);
      expect(await effectsOf(dataSource, owner.tenantId)).toEqual([1, 2]);
    });

    it('replays the route-declared status (@HttpCode) and treats sorted query strings as the same request', async () => {
      const first = await server().post(`/${API_PREFIX}/__idem/effects/accepted?b=2&a=1`).set('Authorization', `Bearer ${other.token}`).set('Idempotency-Key', 'http-c').send({ n: 10 });
      expect(first.status).toBe(202);
      const again = await server().post(`/${API_PREFIX}/__idem/effects/accepted?a=1&b=2`).set('Authorization', `Bearer ${other.token}`).set('Idempotency-Key', 'http-c').send({ n: 10 });
      expect(again.status).toBe(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      const otherQuery = await server().post(`/${API_PREFIX}/__idem/effects/accepted?a=2`).set('Authorization', `Bearer ${other.token}`).set('Idempotency-Key', 'http-c').send({ n: 10 });
      expect(otherQuery.status).toBe(422);
      expect(await effectsOf(dataSource, other.tenantId)).toEqual([10]);
    });

    it('rolls back the route and stores nothing when it fails; the key can be retried', async () => {
      const t = other.tenantId;
      const failed = await post('effects', { n: 20, fail: true }, 'http-d', other.token);
      expect(failed.status).toBe(409);
      expect(failed.body.error.message).toBe('Fixture fails after its write');
      expect(await effectsOf(dataSource, t)).toEqual([10]);
      const retry = await post('effects', { n: 21 }, 'http-d', other.token);
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect(await effectsOf(dataSource, t)).toEqual([10, 21]);
    });

    it('answers 409 to a retry while the first is still running', async () => {
      const slow = post('effects', { n: 30, sleep_ms: 500 }, 'http-e', other.token).then((r) => r);
      await waitFor('the first request to be running (sleeping in its handler)', async () => {
        const [{ n }] = await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'SELECT pg_sleep%'`,
        );
        return n > 0;
      }, 5000, 10);
      const during = await post('effects', { n: 30, sleep_ms: 500 }, 'http-e', other.token);
      const first = await slow;
      expect(first.status).toBe(201);
      expect(during.status).toBe(409);
      expect(during.body.error).toMatchObject({ code: 'conflict', message: 'A request with this Idempotency-Key is still being processed; retry later' });
      expect((await effectsOf(dataSource, other.tenantId)).filter((n) => n === 30)).toHaveLength(1);
    });

    it('runs every time without the header, and ignores the header on anonymous routes', async () => {
      await post('effects', { n: 40 }, undefined, other.token);
      await post('effects', { n: 40 }, undefined, other.token);
      expect((await effectsOf(dataSource, other.tenantId)).filter((n) => n === 40)).toHaveLength(2);
      for (let i = 0; i < 2; i++) {
        const res = await server().post(`/${API_PREFIX}/__idem/anonymous`).set('Idempotency-Key', 'http-anon').send({ n: 50 });
        expect(res.status).toBe(201);
        expect(res.headers['idempotent-replayed']).toBeUndefined();
      }
      expect(await effectsOf(dataSource, `anon_${RUN}`)).toEqual([50, 50]);
    });
  });
});

import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { scopedManager } from '../../src/database/tenant-scope';
import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';
import { withEnv } from '../support/env';
import type { Res } from '../support/http-client';
import { ownerDb } from '../support/owner-db';
import { waitFor } from '../support/wait';

/**
 * Under row-level security a statement outside a transaction borrows a pooled connection of its
 * own. Every path must hand it back — also when statements of one request overlap, fail, or race
 * an idempotency claim. A connection that is never returned shrinks the pool for good: once a
 * small pool has lost them all, every later request waits the acquire timeout and answers 503.
 * So after each burst of concurrent mixed requests the pool must be entirely idle again.
 */

const SMALL_POOL = { DATABASE_POOL_SIZE: '5', DATABASE_ACQUIRE_TIMEOUT_MS: process.env.LEAK_ACQUIRE_MS ?? '3000' };
const ROUNDS = 6;
const REQUESTS_PER_ROUND = Number(process.env.LEAK_REQUESTS ?? 40);

function poolOf(t: TestApp): Pool {
  return (t.app.get(DataSource).driver as PostgresDriver).master as Pool;
}

function counts(pool: Pool) {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** Waits until every connection the pool holds is idle and nobody waits; answers the counts then, or at the deadline. */
async function settled(pool: Pool, withinMs = 4000): Promise<{ total: number; idle: number; waiting: number }> {
  const idle = () => pool.idleCount === pool.totalCount && pool.waitingCount === 0;
  await waitFor('every pooled connection idle', idle, withinMs, 25).catch(() => undefined); // the caller asserts the counts
  return counts(pool);
}

describe('a small pool gets every connection back after bursts of concurrent requests (e2e)', () => {
  it(`${ROUNDS} rounds of ${REQUESTS_PER_ROUND} + 15 rate-limited concurrent mixed requests on DATABASE_POOL_SIZE=5 leave every connection idle`, async () => {
    await withEnv(SMALL_POOL, async () => {
      const t = await startTestApp();
      try {
        const { http } = t;
        const owner = await signUpTenant(http, 'Pool concurrency');
        const { secret: token } = await createApiKey(http, owner.accessToken, { access: 'read_write' });
        const pool = poolOf(t);
        const existing = await http.post('/api/v1/products', { sku: `DUP-${randomUUID().slice(0, 8)}`, name: 'Taken', price: 100 }, { token });
        expect(existing.status).toBe(201);
        const takenSku = existing.body.data.sku as string;
        const productId = existing.body.data.id as string;
        const statuses: Record<string, number> = {};
        // A tenant with a low write limit: most of its concurrent writes answer 429, and each round
        // uses a fresh key, so its first requests also write last_used_at and load the limits. The keys
        // are test-mode keys: the owner's key creations (live) then do not compete with the bursts for
        // the tenant's write bucket, which is per mode (issue 23: all of a tenant's credentials share it).
        const limited = await signUpTenant(http, 'Pool concurrency limited');
        await (await ownerDb()).query('UPDATE tenants SET rate_limit_writes = 5 WHERE id = $1', [limited.tenantId]);

        for (let round = 1; round <= ROUNDS; round += 1) {
          const sharedKey = randomUUID();
          const sharedBody = { sku: `IDEM-${round}-${randomUUID().slice(0, 6)}`, name: 'Shared', price: 700 };
          const { secret: limitedToken } = await createApiKey(http, limited.accessToken, { access: 'read_write', mode: 'test' });
          const calls: Promise<Res>[] = [];
          for (let i = 0; i < 15; i += 1) {
            const headers: Record<string, string> = i % 3 === 0 ? { 'Idempotency-Key': randomUUID() } : {};
            calls.push(http.post('/api/v1/products', { sku: `L${round}-${i}-${randomUUID().slice(0, 6)}`, name: 'Limited', price: 1500 }, { token: limitedToken, headers }));
          }
          for (let i = 0; i < REQUESTS_PER_ROUND; i += 1) {
            const sku = `R${round}-${i}-${randomUUID().slice(0, 6)}`;
            switch (i % 8) {
              case 0: calls.push(http.post('/api/v1/products', { sku, name: 'Plain', price: 1000 + i }, { token })); break;
              case 1: calls.push(http.post('/api/v1/products', { sku, name: 'Keyed', price: 1000 + i }, { token, headers: { 'Idempotency-Key': randomUUID() } })); break;
              case 2: calls.push(http.post('/api/v1/products', sharedBody, { token, headers: { 'Idempotency-Key': sharedKey } })); break;
              case 3: calls.push(http.get('/api/v1/products', { token })); break;
              case 4: calls.push(http.patch(`/api/v1/products/${productId}`, { name: `Renamed ${round}-${i}` }, { token })); break;
              case 5: calls.push(http.post('/api/v1/products', { sku: takenSku, name: 'Duplicate', price: 100 }, { token })); break;
              case 6: calls.push(http.post('/api/v1/products', { sku, name: 'Bad', price: -5 }, { token })); break;
              default: calls.push(http.post('/api/v1/products', { sku, name: 'Keyed dup sku', price: 100 }, { token, headers: { 'Idempotency-Key': randomUUID() } })); break;
            }
          }
          const results = await Promise.all(calls);
          for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;

          const after = await settled(pool);
          console.log(`round ${round}: ${results.length} requests, pool ${JSON.stringify(after)}, statuses so far ${JSON.stringify(statuses)}`);
          expect(after.waiting).toBe(0);
          expect(after.idle).toBe(after.total);

          const started = Date.now();
          const single = await http.get(`/api/v1/products/${productId}`, { token });
          expect(single.status).toBe(200);
          expect(Date.now() - started).toBeLessThan(1500);
        }
        expect(statuses['500']).toBeUndefined();
      } finally {
        await t.close();
      }
    });
  }, 180_000);

  it('statements and transactions overlapping on one scoped manager hand every connection back', async () => {
    await withEnv(SMALL_POOL, async () => {
      const t = await startTestApp();
      try {
        const owner = await signUpTenant(t.http, 'Pool overlap');
        const dataSource = t.app.get(DataSource);
        const pool = poolOf(t);
        const scope = { tenantId: owner.tenantId, mode: 'test', crossTenant: '' };
        let failures = 0;
        for (let round = 1; round <= 20; round += 1) {
          const manager = scopedManager(dataSource, scope);
          const work = [
            manager.transaction(async (tx) => { await tx.query('SELECT 1'); await tx.query('SELECT 2'); }),
            manager.query('SELECT 3'),
            manager.query('SELECT 4'),
            manager.transaction(async (tx) => { await tx.query('SELECT 1/0'); }),
            manager.query('SELECT 5'),
          ];
          failures += (await Promise.allSettled(work)).filter((r) => r.status === 'rejected').length;
        }
        const after = await settled(pool, 2000);
        console.log(`overlap: 20 rounds × 5 overlapping calls, ${failures} rejected, pool ${JSON.stringify(after)}`);
        expect(after.idle).toBe(after.total);
        expect(after.waiting).toBe(0);
      } finally {
        await t.close();
      }
    });
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resetConfigCache } from '../../src/config/config';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp } from '../support/app';
import { withEnv } from '../support/env';
import type { Res } from '../support/http-client';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Under row-level security every statement outside a transaction takes a pooled connection of its
 * own. A request or job that held one connection while waiting for a second would deadlock a pool
 * of N under N concurrent callers. With a pool of ONE such a caller cannot make progress at all: it
 * waits the (short) acquire timeout and answers 503. So a representative set of requests and jobs
 * all succeeding on a pool of one proves none of them ever needs two connections at a time.
 */

const POOL_OF_ONE = { DATABASE_POOL_SIZE: '1', DATABASE_ACQUIRE_TIMEOUT_MS: '1000' };

/** Calls one step and records it when its status is not the expected one (so a failure names every broken step). */
function steps() {
  const failures: string[] = [];
  return {
    failures,
    async expect(name: string, status: number, call: Promise<Res>): Promise<Res> {
      const res = await call;
      if (res.status !== status) failures.push(`${name}: ${res.status} (expected ${status}) ${JSON.stringify(res.body?.error ?? res.body)}`);
      return res;
    },
  };
}

describe('a pool of one connection serves every request and job, one at a time (e2e)', () => {
  it('sign-up, login, keys, catalog, customers, orders, updates and deletes each succeed on DATABASE_POOL_SIZE=1', async () => {
    await withEnv(POOL_OF_ONE, async () => {
      const t = await startTestApp();
      try {
        const { http } = t;
        const s = steps();
        const email = `pool1-${randomUUID()}@example.test`;
        const password = 'correct-horse-battery';
        const signUp = await s.expect('sign-up', 201, http.post('/api/v1/tenants', { name: 'Pool of one', email, password }));
        const login = await s.expect('login', 200, http.post('/api/v1/auth/login', { email, password }));
        const jwt = login.body.data?.access_token ?? signUp.body.data.access_token;
        await s.expect('refresh', 200, http.post('/api/v1/auth/refresh', { refresh_token: login.body.data?.refresh_token }));
        await s.expect('me', 200, http.get('/api/v1/auth/me', { token: jwt }));
        const key = await s.expect('create API key', 201, http.post('/api/v1/api-keys', { name: 'pool', access: 'read_write' }, { token: jwt }));
        const token = key.body.data.secret as string;
        await s.expect('list API keys', 200, http.get('/api/v1/api-keys', { token: jwt }));

        const location = await s.expect('create location', 201, http.post('/api/v1/locations', { name: 'Main' }, { token }));
        const idempotent = { token, headers: { 'Idempotency-Key': randomUUID() } };
        const productBody = {
          sku: `POOL-${randomUUID().slice(0, 8)}`, name: 'Hoodie', price: 4500,
          variants: [{ sku: `POOL-S-${randomUUID().slice(0, 6)}`, attributes: { size: 'S' } }, { sku: `POOL-XL-${randomUUID().slice(0, 6)}`, price: 5500, attributes: { size: 'XL' } }],
        };
        const product = await s.expect('create product with variants', 201, http.post('/api/v1/products', productBody, idempotent));
        const replay = await s.expect('replay the idempotent create', 201, http.post('/api/v1/products', productBody, idempotent));
        expect(replay.body.data?.id).toBe(product.body.data.id);
        const productId = product.body.data.id as string;
        await s.expect('adjust stock', 200, http.post(`/api/v1/inventory/${productId}/adjust`, { quantity: 10, reason: 'received', location: location.body.data.id }, { token }));
        const list = await s.expect('list products', 200, http.get('/api/v1/products', { token }));
        expect(list.body.data).toHaveLength(1);
        await s.expect('get product', 200, http.get(`/api/v1/products/${productId}`, { token }));
        await s.expect('patch product', 200, http.patch(`/api/v1/products/${productId}`, { name: 'Hoodie 2', price: 4700 }, { token }));

        const customer = await s.expect('create customer', 201, http.post('/api/v1/customers', { email: `c-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Ada', last_name: 'L' }, { token }));
        await s.expect('list customers', 200, http.get('/api/v1/customers', { token }));
        const address = { line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };
        const order = await s.expect('create order', 201, http.post('/api/v1/orders', { customer_id: customer.body.data.id, shipping_address: address, items: [{ product_id: productId, quantity: 2 }] }, { token }));
        const orderId = order.body.data.id as string;
        await s.expect('get order', 200, http.get(`/api/v1/orders/${orderId}`, { token }));
        await s.expect('list orders', 200, http.get('/api/v1/orders', { token }));
        await s.expect('confirm order', 200, http.patch(`/api/v1/orders/${orderId}/status`, { status: 'confirmed' }, { token }));
        await s.expect('cancel order', 200, http.post(`/api/v1/orders/${orderId}/cancel`, { reason: 'customer_request' }, { token }));

        const spare = await s.expect('create a second customer', 201, http.post('/api/v1/customers', { email: `d-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Bo', last_name: 'K' }, { token }));
        await s.expect('delete customer', 204, http.delete(`/api/v1/customers/${spare.body.data.id}`, { token }));
        await s.expect('revoke API key', 204, http.delete(`/api/v1/api-keys/${key.body.data.id}`, { token: jwt }));
        await s.expect('revoked key is refused', 401, http.get('/api/v1/products', { token }));
        await s.expect('logout', 204, http.delete('/api/v1/auth/logout', { token: jwt }));
        expect(s.failures).toEqual([]);
      } finally {
        await t.close();
      }
    });
  }, 60_000);

  it('a pool of two serves 10 parallel requests (reads and writes, two tenants) without a 503', async () => {
    await withEnv({ DATABASE_POOL_SIZE: '2', DATABASE_ACQUIRE_TIMEOUT_MS: '2000' }, async () => {
      const t = await startTestApp();
      try {
        const tenants = await Promise.all(['A', 'B'].map(async (name) => {
          const res = await t.http.post('/api/v1/tenants', { name: `Pool of two ${name}`, email: `pool2-${randomUUID()}@example.test`, password: 'correct-horse-battery' });
          expect(res.status).toBe(201);
          const jwt = res.body.data.access_token as string;
          const key = await t.http.post('/api/v1/api-keys', { name: 'pool', access: 'read_write' }, { token: jwt });
          expect(key.status).toBe(201);
          return { jwt, key: key.body.data.secret as string };
        }));
        const started = Date.now();
        const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => {
          const { jwt, key } = tenants[i % 2];
          switch (i % 5) {
            case 0: return t.http.post('/api/v1/products', { sku: `P2-${randomUUID().slice(0, 8)}`, name: 'Parallel', price: 100 }, { token: key });
            case 1: return t.http.get('/api/v1/products', { token: key });
            case 2: return t.http.post('/api/v1/customers', { email: `p-${randomUUID().slice(0, 8)}@example.test`, first_name: 'P', last_name: 'Q' }, { token: key });
            case 3: return t.http.get('/api/v1/auth/me', { token: jwt });
            default: return t.http.post('/api/v1/api-keys', { name: 'parallel', access: 'read_only' }, { token: jwt });
          }
        }));
        const statuses = responses.map((r) => r.status);
        console.log(`pool of 2, 10 parallel requests → ${statuses.join(', ')} in ${Date.now() - started} ms`);
        expect(statuses).toEqual([201, 200, 201, 200, 201, 201, 200, 201, 200, 201]);
      } finally {
        await t.close();
      }
    });
  }, 60_000);

  it('the worker relays an event and delivers its webhook on DATABASE_POOL_SIZE=1', async () => {
    const receiver = new WebhookReceiver();
    const receiverUrl = await receiver.start();
    await withEnv({ ...POOL_OF_ONE, OUTBOX_POLL_MS: '100', QUEUE_PREFIX: `cbapipool1${process.pid}` }, async () => {
      const t = await startTestApp();
      let worker: INestApplicationContext | undefined;
      try {
        const signUp = await t.http.post('/api/v1/tenants', { name: 'Pool of one jobs', email: `pool1w-${randomUUID()}@example.test`, password: 'correct-horse-battery' });
        const jwt = signUp.body.data.access_token as string;
        expect((await t.http.post('/api/v1/webhooks', { url: receiverUrl, events: ['customer.created'] }, { token: jwt })).status).toBe(201);
        resetConfigCache();
        worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
        await worker.init();
        const customer = await t.http.post('/api/v1/customers', { email: `w-${randomUUID().slice(0, 8)}@example.test`, first_name: 'W', last_name: 'J' }, { token: jwt });
        expect(customer.status).toBe(201);
        await receiver.waitFor(() => receiver.received.some((r) => r.body.includes(customer.body.data.id)), 15_000);
      } finally {
        await worker?.close();
        await t.close();
        await receiver.stop();
      }
    });
  }, 60_000);
});

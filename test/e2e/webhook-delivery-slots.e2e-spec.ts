import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/config';
import { TenantDeliverySlots, type DeliverySlot } from '../../src/modules/webhooks/tenant-delivery-slots';
import { WebhooksRepository } from '../../src/modules/webhooks/webhooks.repository';
import { REDIS } from '../../src/platform/redis/redis.module';
import { startTestApp, type TestApp } from '../support/app';
import { pendingWebhookDelivery } from '../support/webhook-fixtures';
import { waitFor } from '../support/wait';

const CAP = 2;

/**
 * The delivery worker's building blocks on the real Redis and PostgreSQL: the per-tenant slots
 * (shared cap across workers, slots handed from a finishing delivery to the next waiting job in
 * this worker) and the batched attempt claim (a duplicate job claims nothing).
 */
describe('webhook delivery slots and claims (e2e)', () => {
  let t: TestApp;
  let redis: Redis;
  const config = () => ({ ...loadConfig(), QUEUE_PREFIX: `cbapislots${process.pid}`, WEBHOOK_MAX_IN_FLIGHT_PER_TENANT: CAP });
  const slotKey = (tenantId: string) => `cbapislots${process.pid}:webhook-slots:${tenantId}`;

  beforeAll(async () => {
    t = await startTestApp();
    redis = t.app.get(REDIS);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds the cap across two workers: a worker with none of the slots sends its job back at once', async () => {
    const tenantId = `ten_${randomUUID()}`;
    const [workerA, workerB] = [new TenantDeliverySlots(redis, config()), new TenantDeliverySlots(redis, config())];
    const held = [await workerA.acquire(tenantId), await workerA.acquire(tenantId)];
    expect(held.every(Boolean)).toBe(true);
    expect(await redis.zcard(slotKey(tenantId))).toBe(CAP);
    expect(await workerB.acquire(tenantId)).toBeNull();
    for (const slot of held) await slot!.release();
    expect(await redis.zcard(slotKey(tenantId))).toBe(0);
    const later = await workerB.acquire(tenantId);
    expect(later).not.toBeNull();
    await later!.release();
  });

  it('hands a finishing delivery\'s slot to the next waiting job of the tenant, in line order, never above the cap', async () => {
    const tenantId = `ten_${randomUUID()}`;
    const worker = new TenantDeliverySlots(redis, config());
    const running = [(await worker.acquire(tenantId))!, (await worker.acquire(tenantId))!];
    const members = await redis.zrange(slotKey(tenantId), 0, -1);
    const order: number[] = [];
    const waiting = [0, 1, 2].map((i) => worker.acquire(tenantId).then((slot) => (order.push(i), slot)));
    await waitFor('three jobs in line', () => worker.waiting(tenantId) === 3, 10_000, 5);

    await running[0].release();
    const first = await waiting[0];
    expect(first).not.toBeNull();
    await running[1].release();
    await first!.release();
    const rest = (await Promise.all(waiting.slice(1))) as DeliverySlot[];
    expect(rest.every(Boolean)).toBe(true);
    expect(order).toEqual([0, 1, 2]);
    // The same two leases went from job to job: no Redis slot was added or dropped on the way.
    expect((await redis.zrange(slotKey(tenantId), 0, -1)).sort()).toEqual(members.sort());
    for (const slot of rest) await slot.release();
    expect(await redis.zcard(slotKey(tenantId))).toBe(0);
  });

  it('claims an attempt once, even when the same job is asked for twice in one batch', async () => {
    const { eventId, endpointId, deliveryId } = await pendingWebhookDelivery(t, 'Claims shop');

    const repo = t.app.get(WebhooksRepository);
    const dataSource = t.app.get(DataSource);
    const [claimed, duplicate] = await repo.claimAttempts(dataSource, [{ deliveryId, attempt: 1 }, { deliveryId, attempt: 1 }], 15_000);
    expect(claimed).toMatchObject({ id: deliveryId, attempts: 1, event_id: eventId, endpoint_id: endpointId, type: 'customer.created' });
    expect(claimed!.data).toEqual({ object: { id: 'cus_pending' } });
    expect(duplicate).toBeUndefined();
    expect(await repo.claimAttempts(dataSource, [{ deliveryId, attempt: 1 }], 15_000)).toEqual([undefined]);

    // A job put back gives its attempt back, and claims it again when it returns.
    await repo.unclaimAndPostpone(dataSource, deliveryId, 1, 500);
    const [again] = await repo.claimAttempts(dataSource, [{ deliveryId, attempt: 1 }], 15_000);
    expect(again?.attempts).toBe(1);
  });
});

import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type Redis from 'ioredis';
import { QueueEvents } from 'bullmq';
import { resetConfigCache, loadConfig } from '../../src/config/config';
import { QUEUES, WORKER_HEARTBEAT_KEY } from '../../src/platform/queue/queues';
import { QueueService } from '../../src/platform/queue/queue.service';
import { MissingJobHandlerError, WorkerHost } from '../../src/platform/queue/worker-host';
import { redisConnectionOptions } from '../../src/platform/queue/redis-connection';
import { REDIS } from '../../src/platform/redis/redis.module';
import { WorkerModule } from '../../src/worker.module';

describe('worker process (e2e)', () => {
  let worker: INestApplicationContext;

  beforeAll(async () => {
    process.env.QUEUE_PREFIX = `cbapiworker${process.pid}`;
    resetConfigCache();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    worker.enableShutdownHooks();
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
  });

  it('runs a job through Redis and the real worker module', async () => {
    const config = loadConfig();
    const redis = worker.get<Redis>(REDIS);
    await redis.del(WORKER_HEARTBEAT_KEY);
    const queues = worker.get(QueueService);
    const events = new QueueEvents('system', { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
    await events.waitUntilReady();
    const job = await queues.queue('system').add('heartbeat', { sent_at: 'test' });
    const result = await job.waitUntilFinished(events, 10000);
    await events.close();
    expect(result).toMatch(/^test -> \d{4}-/);
    expect(await redis.get(WORKER_HEARTBEAT_KEY)).toBe(result.split(' -> ')[1]);
  });

  it('refuses to start when a registered job has no handler', () => {
    const host = worker.get(WorkerHost);
    const original = host.discoverHandlers.bind(host);
    const registry = QUEUES as unknown as Record<string, string[]>;
    registry.orphan = ['nobody-handles-me'];
    try {
      expect(() => original()).toThrow(MissingJobHandlerError);
      expect(() => original()).toThrow('no handler for job(s) orphan:nobody-handles-me');
    } finally {
      delete registry.orphan;
    }
  });
});

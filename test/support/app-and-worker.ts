import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resetConfigCache } from '../../src/config/config';
import { WorkerModule } from '../../src/worker.module';
import { startTestApp, type TestApp } from './app';
import { setEnv } from './env';

export interface AppAndWorker {
  t: TestApp;
  /** The worker (outbox relay, mail and webhook jobs) as `npm run start:worker` builds it. */
  worker: INestApplicationContext;
  /** Closes the worker and the app, then puts the environment back as it was. */
  close: () => Promise<void>;
}

/**
 * The API and a worker in this process, for tests that follow an event through the outbox to a
 * receiver. `env` is set before either starts and restored by `close`; the queues get the prefix
 * `<queuePrefix><pid>` so that no other test file's worker takes this file's jobs.
 */
export async function startAppAndWorker(queuePrefix: string, env: Record<string, string> = {}): Promise<AppAndWorker> {
  const restoreEnv = setEnv({ ...env, QUEUE_PREFIX: `${queuePrefix}${process.pid}` });
  const t = await startTestApp();
  resetConfigCache();
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker.init();
  const close = async () => {
    await worker.close();
    await t.close();
    restoreEnv();
  };
  return { t, worker, close };
}

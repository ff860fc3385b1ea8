import './platform/tracing/register'; // first: tracing patches pg, ioredis and http as they load
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createApp } from './app.factory';
import { loadConfig } from './config/config';
import { installShutdownDeadline } from './shutdown';
import { WorkerModule } from './worker.module';

/** Starts the HTTP API (and, for `npm start` in development, the worker in the same process). */
export async function startApi(): Promise<{ url: string; close: () => Promise<void> }> {
  const config = loadConfig();
  const app = await createApp();
  const worker = config.WORKER_IN_PROCESS ? await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true }) : undefined;
  worker?.enableShutdownHooks();
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const close = async () => {
    await app.close();
    await worker?.close();
  };
  installShutdownDeadline(config.SHUTDOWN_TIMEOUT_MS);
  return { url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`, close };
}

if (require.main === module) {
  startApi().catch((err) => {
    process.stderr.write(`API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

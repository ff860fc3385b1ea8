import './platform/tracing/register'; // first: tracing patches pg, ioredis and http as they load
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './config/config';
import { installShutdownDeadline } from './shutdown';
import { WorkerModule } from './worker.module';

/** Starts the worker process: BullMQ handlers, no HTTP controllers. */
export async function startWorker() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  installShutdownDeadline(config.SHUTDOWN_TIMEOUT_MS);
  return app;
}

if (require.main === module) {
  startWorker().catch((err) => {
    process.stderr.write(`Worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}

import './platform/tracing/register'; // first: tracing patches pg, ioredis and http as they load
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from './config/config';
import { startWorkerHttp } from './platform/ops/worker-http';
import { exitGracefullyOnSignals } from './shutdown';
import { WorkerModule } from './worker.module';

/** Starts the worker process: BullMQ handlers, no API; /health and /metrics on WORKER_HTTP_PORT when set. */
export async function startWorker() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const http = await startWorkerHttp(app, config);
  const close = async () => {
    http?.startDraining(); // /health answers 503 while running jobs finish
    await app.close(); // stops taking jobs, waits for the running ones, closes pools
    await http?.close();
  };
  return { app, close, httpPort: http?.port };
}

if (require.main === module) {
  startWorker().then(
    (worker) => exitGracefullyOnSignals(worker.close, loadConfig().SHUTDOWN_TIMEOUT_MS),
    (err) => {
      process.stderr.write(`Worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

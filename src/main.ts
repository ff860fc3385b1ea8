import './platform/tracing/register'; // first: tracing patches pg, ioredis and http as they load
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createApp } from './app.factory';
import { loadConfig } from './config/config';
import { HealthService } from './platform/health/health.service';
import { MetricsService } from './platform/metrics/metrics.service';
import { prometheusText, startOpsHttpServer } from './platform/ops/ops-http-server';
import { exitGracefullyOnSignals, sleep } from './shutdown';
import { WorkerModule } from './worker.module';

/** Starts the HTTP API (and, for `npm start` in development, the worker in the same process). */
export async function startApi(): Promise<{ url: string; metricsUrl?: string; close: () => Promise<void> }> {
  const config = loadConfig();
  const app = await createApp();
  const worker = config.WORKER_IN_PROCESS ? await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true }) : undefined;
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const local = (p: number) => `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${p}`;
  // METRICS_PORT moves /metrics off the public port (the API port then answers 404 there).
  const metricsServer = config.METRICS_PORT === undefined ? undefined : await startOpsHttpServer(config.METRICS_PORT, config.HOST, {
    '/metrics': async () => prometheusText(await app.get(MetricsService).registry.metrics()),
  });
  const close = async () => {
    app.get(HealthService).startDraining(); // /health/ready answers 503 from now on...
    await sleep(config.SHUTDOWN_DRAIN_DELAY_MS); // ...while load balancers take this replica out of rotation
    await app.close(); // stops accepting; Fastify lets in-flight requests finish; then pools and queues close
    await worker?.close();
    await metricsServer?.close();
  };
  return { url: local(port), metricsUrl: metricsServer && `${local(metricsServer.port)}/metrics`, close };
}

if (require.main === module) {
  startApi().then(
    (api) => exitGracefullyOnSignals(api.close, loadConfig().SHUTDOWN_TIMEOUT_MS),
    (err) => {
      process.stderr.write(`API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}

import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '../../config/config';
import { HealthService } from '../health/health.service';
import { MetricsService } from '../metrics/metrics.service';
import { WorkerHost } from '../queue/worker-host';
import { json, prometheusText, startOpsHttpServer, type OpsHttpServer } from './ops-http-server';

export interface WorkerHttp extends OpsHttpServer {
  startDraining(): void;
}

/**
 * The worker's own port (WORKER_HTTP_PORT) for orchestrators and Prometheus:
 * - GET /health/live: 200 while the process answers at all (liveness: a database outage must not restart workers);
 * - GET /health: 200 `{status: "ok"}` while its queue workers run and PostgreSQL and Redis answer;
 *   503 otherwise, and from SIGTERM on (`draining`) while running jobs finish;
 * - GET /metrics: this process's metrics (jobs by queue and outcome, queue depths, Node runtime).
 * Unset = none (e.g. the in-process worker of `npm start`, or tests that run many workers).
 */
export async function startWorkerHttp(app: INestApplicationContext, config: AppConfig): Promise<WorkerHttp | undefined> {
  if (config.WORKER_HTTP_PORT === undefined) return undefined;
  const health = app.get(HealthService);
  const host = app.get(WorkerHost);
  const metrics = app.get(MetricsService);
  const server = await startOpsHttpServer(config.WORKER_HTTP_PORT, config.HOST, {
    '/health/live': async () => json(200, { status: 'ok' }),
    '/health': async () => {
      const { checks } = await health.readiness();
      const queues = host.isRunning() ? 'up' : 'down';
      const status = health.isDraining() ? 'draining' : checks.database === 'up' && checks.redis === 'up' && queues === 'up' ? 'ok' : 'unavailable';
      return json(status === 'ok' ? 200 : 503, { status, checks: { database: checks.database, redis: checks.redis, queues } });
    },
    '/metrics': async () => prometheusText(await metrics.registry.metrics()),
  });
  return { ...server, startDraining: () => health.startDraining() };
}

import { Injectable } from '@nestjs/common';
import { QueueService } from '../queue/queue.service';
import { registerQueueMetrics } from './queue-metrics';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of this process: request count and latency by route template and status. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests served, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  /** Jobs this process finished, by queue, job name and outcome (the worker's /metrics). */
  readonly jobs = new Counter({
    name: 'worker_jobs_total',
    help: 'Jobs run by this worker process, by queue, job name and outcome (completed, failed)',
    labelNames: ['queue', 'job', 'outcome'],
    registers: [this.registry],
  });

  constructor(queues: QueueService) {
    collectDefaultMetrics({ register: this.registry });
    registerQueueMetrics(this.registry, queues);
  }

  observeJob(queue: string, job: string, outcome: 'completed' | 'failed'): void {
    this.jobs.inc({ queue, job, outcome });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }
}

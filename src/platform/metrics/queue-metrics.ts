import { Gauge, type Registry } from 'prom-client';
import type { QueueService } from '../queue/queue.service';
import { QUEUES, type QueueName } from '../queue/queues';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Queue depth by state and job outcomes (completed/failed since the worker's metrics began),
 * read from Redis at scrape time, so any API replica reports the whole fleet's queues.
 */
export function registerQueueMetrics(registry: Registry, queues: QueueService): void {
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in each BullMQ queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const name of Object.keys(QUEUES) as QueueName[]) {
        const counts = await queues.queue(name).getJobCounts(...STATES);
        for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'queue_job_outcomes_total',
    help: 'Jobs finished by each queue, by outcome, as counted by the workers',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
    async collect() {
      for (const name of Object.keys(QUEUES) as QueueName[]) {
        for (const outcome of ['completed', 'failed'] as const) {
          const metrics = await queues.queue(name).getMetrics(outcome, 0, 0);
          this.set({ queue: name, outcome }, Number(metrics.meta.count ?? 0));
        }
      }
    },
  });
}

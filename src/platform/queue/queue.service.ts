import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { warnOnConnectionErrors } from '../redis/connection-errors';
import { bullmqTelemetry } from '../tracing/bullmq-telemetry';
import { redisConnectionOptions } from './redis-connection';
import type { JobName, QueueName } from './queues';

/** Enqueues jobs; used by the API and the worker alike. */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Auto-pipelining: the adds issued together (a relay batch's first attempts) leave in one write, not one each.
      const connection = { ...redisConnectionOptions(this.config.REDIS_URL), enableAutoPipelining: true };
      queue = new Queue(name, { connection, prefix: this.config.QUEUE_PREFIX, telemetry: bullmqTelemetry() });
      warnOnConnectionErrors(queue, `queue ${name}`);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue<Q extends QueueName>(queue: Q, name: JobName<Q>, data: object, options: JobsOptions = {}): Promise<string | undefined> {
    const job = await this.queue(queue).add(name, data, { removeOnComplete: 1000, removeOnFail: 5000, ...options });
    return job.id;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

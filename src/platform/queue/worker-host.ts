import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { MetricsTime, Worker, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MetricsService } from '../metrics/metrics.service';
import { BACKGROUND_LOOP } from './background-loop.decorator';
import { JOB_HANDLER, type JobHandlerMeta } from './job-handler.decorator';
import { QUEUES, SCHEDULED_JOBS, type QueueName } from './queues';
import { QueueService } from './queue.service';
import { warnOnConnectionErrors } from '../redis/connection-errors';
import { bullmqTelemetry } from '../tracing/bullmq-telemetry';
import { redisConnectionOptions } from './redis-connection';

type Handler = (data: unknown, job: Job) => Promise<unknown>;

export class MissingJobHandlerError extends Error {}

/**
 * Auto-pipelining for the delivery worker: the jobs that finish together (their attempts recorded in one
 * statement) report to Redis in one write. The blocking wait for jobs stays out of pipelines.
 */
function pipelinedConnection(url: string) {
  return { ...redisConnectionOptions(url), enableAutoPipelining: true, autoPipeliningIgnoredCommands: ['bzpopmin', 'bzpopmax', 'blmove', 'brpoplpush'] };
}

/** Jobs one worker runs at once per queue; webhook deliveries have their own setting (mostly waiting on HTTP). */
const DEFAULT_CONCURRENCY = 20;

/**
 * Finds every @JobHandler, refuses to start when a registered job has none, and runs one BullMQ
 * worker per queue. On shutdown it stops taking jobs and waits for the running ones.
 */
@Injectable()
export class WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly stopLoops = new AbortController();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** True while every queue has a running BullMQ worker (the worker's /health). */
  isRunning(): boolean {
    return this.workers.length > 0 && this.workers.every((w) => w.isRunning());
  }

  discoverHandlers(): Map<string, Handler> {
    const handlers = new Map<string, Handler>();
    // A service also bound to a port token (`useExisting`) shows up once per token: scan it once.
    const scanned = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance;
      if (!instance || typeof instance !== 'object' || scanned.has(instance)) continue;
      scanned.add(instance);
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const meta = this.reflector.get<JobHandlerMeta | undefined>(JOB_HANDLER, prototype[method]);
        if (!meta) continue;
        const key = `${meta.queue}:${meta.name}`;
        if (handlers.has(key)) throw new Error(`Two handlers for job ${key}`);
        handlers.set(key, (data, job) => instance[method](data, job));
      }
    }
    const missing = Object.entries(QUEUES).flatMap(([queue, names]) =>
      names.filter((name) => !handlers.has(`${queue}:${name}`)).map((name) => `${queue}:${name}`),
    );
    if (missing.length > 0) {
      throw new MissingJobHandlerError(`Worker refuses to start: no handler for job(s) ${missing.join(', ')}`);
    }
    return handlers;
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.discoverHandlers();
    for (const queue of Object.keys(QUEUES) as QueueName[]) {
      const worker = new Worker(
        queue,
        async (job) => {
          const handler = handlers.get(`${queue}:${job.name}`);
          if (!handler) throw new Error(`No handler for job ${queue}:${job.name}`);
          return handler(job.data, job);
        },
        {
          connection: queue === 'webhooks' ? pipelinedConnection(this.config.REDIS_URL) : redisConnectionOptions(this.config.REDIS_URL),
          prefix: this.config.QUEUE_PREFIX,
          concurrency: queue === 'webhooks' ? this.config.WEBHOOK_WORKER_CONCURRENCY : DEFAULT_CONCURRENCY,
          // A worker that dies (SIGKILL, OOM) holds its jobs' locks until they expire; shorter locks
          // (renewed every half period while a job runs) hand them to another worker sooner.
          lockDuration: 15_000,
          stalledInterval: 10_000,
          // Per-minute completed/failed counts kept in Redis; the API's /metrics reports them.
          metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
          // A job's `process` span continues the trace its producer stored in the job (off without tracing).
          telemetry: bullmqTelemetry(),
        },
      );
      worker.on('failed', (job, err) => {
        this.metrics.observeJob(queue, job?.name ?? 'unknown', 'failed');
        this.logger.warn({ queue, job: job?.name, id: job?.id, err: err.message }, 'job failed');
      });
      warnOnConnectionErrors(worker, `worker ${queue}`);
      worker.on('completed', (job) => this.metrics.observeJob(queue, job.name, 'completed'));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    for (const job of SCHEDULED_JOBS) {
      await this.queues.queue(job.queue).upsertJobScheduler(job.name, { every: job.everyMs }, { name: job.name });
    }
    for (const [name, loop] of this.discoverLoops()) {
      this.loops.push(
        loop(this.stopLoops.signal).catch((err) => this.logger.error({ err, loop: name }, 'background loop stopped with an error')),
      );
    }
    this.logger.log(`Worker running ${handlers.size} job type(s) on ${this.workers.length} queue(s)`);
  }

  private discoverLoops(): [string, (signal: AbortSignal) => Promise<void>][] {
    const loops: [string, (signal: AbortSignal) => Promise<void>][] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<string | undefined>(BACKGROUND_LOOP, prototype[method]);
        if (name) loops.push([name, (signal) => instance[method](signal)]);
      }
    }
    return loops;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopLoops.abort();
    await Promise.all([...this.workers.map((w) => w.close()), ...this.loops]);
  }
}

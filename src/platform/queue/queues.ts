/**
 * Every queue and the job names it carries: the one place queues are registered. The worker
 * refuses to start when a job listed here has no @JobHandler, so a job can't be enqueued into
 * a void.
 */
export const QUEUES = {
  system: ['heartbeat'],
  maintenance: ['purge-idempotency-keys', 'purge-retention'],
  webhooks: ['deliver'],
  mail: ['send', 'requeue-stale'],
  subscriptions: ['renew-due'],
  domains: ['renew-due'],
  payments: ['reconcile'],
} as const;

export type QueueName = keyof typeof QUEUES;
export type JobName<Q extends QueueName> = (typeof QUEUES)[Q][number];

export const WORKER_HEARTBEAT_KEY = 'worker:heartbeat';

/** Jobs the worker schedules itself on start (BullMQ job schedulers are upserts, so replicas agree). */
export const SCHEDULED_JOBS: { queue: QueueName; name: string; everyMs: number }[] = [
  { queue: 'system', name: 'heartbeat', everyMs: 10_000 },
  { queue: 'maintenance', name: 'purge-idempotency-keys', everyMs: 60 * 60_000 },
  { queue: 'maintenance', name: 'purge-retention', everyMs: 24 * 60 * 60_000 },
  { queue: 'mail', name: 'requeue-stale', everyMs: 60_000 },
  { queue: 'subscriptions', name: 'renew-due', everyMs: 60_000 },
  { queue: 'domains', name: 'renew-due', everyMs: 60_000 },
  { queue: 'payments', name: 'reconcile', everyMs: 60_000 },
];

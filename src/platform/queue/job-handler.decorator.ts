import { SetMetadata } from '@nestjs/common';
import type { JobName, QueueName } from './queues';

export const JOB_HANDLER = 'cbapi:job-handler';

export interface JobHandlerMeta {
  queue: QueueName;
  name: string;
}

/** Marks a provider method as the handler of one job; the worker discovers it at start. */
export function JobHandler<Q extends QueueName>(queue: Q, name: JobName<Q>): MethodDecorator {
  return SetMetadata(JOB_HANDLER, { queue, name } satisfies JobHandlerMeta);
}

import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { JobHandler } from '../queue/job-handler.decorator';
import { WORKER_HEARTBEAT_KEY } from '../queue/queues';
import { REDIS } from '../redis/redis.module';

export const HEARTBEAT_EVERY_MS = 10_000; // matches SCHEDULED_JOBS in queues.ts

/** A repeating job whose only effect is a short-lived Redis key: the API reports it as worker health. */
@Injectable()
export class WorkerHeartbeatService {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  @JobHandler('system', 'heartbeat')
  async beat(data: { sent_at?: string }): Promise<string> {
    const at = new Date().toISOString();
    await this.redis.set(WORKER_HEARTBEAT_KEY, at, 'PX', HEARTBEAT_EVERY_MS * 3);
    return data.sent_at ? `${data.sent_at} -> ${at}` : at;
  }
}

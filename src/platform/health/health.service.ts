import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { WORKER_HEARTBEAT_KEY } from '../queue/queues';
import { REDIS } from '../redis/redis.module';

type Check = 'up' | 'down';

export interface Readiness {
  /** `draining`: the process got SIGTERM and is finishing its in-flight work; send no new traffic. */
  status: 'ok' | 'unavailable' | 'draining';
  checks: { database: Check; redis: Check; worker: Check };
}

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS).unref()),
  ]);
}

@Injectable()
export class HealthService {
  private draining = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** From now on readiness answers `draining` (503): the first step of a graceful shutdown. */
  startDraining(): void {
    this.draining = true;
  }

  isDraining(): boolean {
    return this.draining;
  }

  async readiness(): Promise<Readiness> {
    const [database, redis, worker] = await Promise.all([
      withTimeout(this.dataSource.query('SELECT 1')).then(() => 'up' as const, () => 'down' as const),
      withTimeout(this.redis.ping()).then(() => 'up' as const, () => 'down' as const),
      withTimeout(this.redis.exists(WORKER_HEARTBEAT_KEY)).then((n) => (n ? 'up' as const : 'down' as const), () => 'down' as const),
    ]);
    const status = this.draining ? 'draining' : database === 'up' && redis === 'up' ? 'ok' : 'unavailable';
    return { status, checks: { database, redis, worker } };
  }
}

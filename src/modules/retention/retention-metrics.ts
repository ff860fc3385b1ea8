import { Inject, Injectable, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { REDIS } from '../../platform/redis/redis.module';
import { RETENTION_TOTALS_KEY } from './retention.service';

/**
 * `retention_rows_deleted_total{kind}` on the API's /metrics, read from Redis at scrape time, so
 * any replica reports what every worker deleted (the worker serves no /metrics of its own).
 */
@Injectable()
export class RetentionMetrics {
  constructor(@Optional() @Inject(MetricsService) metrics: MetricsService | null, @Inject(REDIS) redis: Redis) {
    if (!metrics) return; // the worker process
    new Counter({
      name: 'retention_rows_deleted_total',
      help: 'Rows deleted by the retention job because they were past their retention, by kind',
      labelNames: ['kind'],
      registers: [metrics.registry],
      async collect() {
        const totals = await redis.hgetall(RETENTION_TOTALS_KEY);
        this.reset();
        for (const [kind, n] of Object.entries(totals)) this.inc({ kind }, Number(n));
      },
    });
  }
}

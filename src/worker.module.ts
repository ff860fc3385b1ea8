import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './platform/health/health.module';
import { LoggingModule } from './platform/logging/logging.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { QueueModule } from './platform/queue/queue.module';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { WorkerHost } from './platform/queue/worker-host';
import { RedisModule } from './platform/redis/redis.module';
import { DOMAIN_MODULES } from './domain-modules';

/** The worker process: the same services as the API, no HTTP, one BullMQ worker per queue. */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, QueueModule, DiscoveryModule, HealthModule, MetricsModule, IdempotencyModule, ...DOMAIN_MODULES],
  providers: [WorkerHost],
})
export class WorkerModule {}

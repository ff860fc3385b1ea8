import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { AnalyticsModule } from '../modules/analytics/analytics.module';
import { IdentityModule } from '../modules/identity/identity.module';
import { OrdersModule } from '../modules/orders/orders.module';
import { QueueModule } from '../platform/queue/queue.module';
import { RedisModule } from '../platform/redis/redis.module';

/** What operator commands need: the services, no HTTP and no job workers (orders bind analytics' order source for rebuilds). */
@Module({ imports: [ConfigModule, DatabaseModule, RedisModule, QueueModule, IdentityModule, AnalyticsModule, OrdersModule] })
export class CliModule {}

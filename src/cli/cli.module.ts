import { Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { IdentityModule } from '../modules/identity/identity.module';
import { QueueModule } from '../platform/queue/queue.module';
import { RedisModule } from '../platform/redis/redis.module';

/** What operator commands need: the services, no HTTP and no job workers. */
@Module({ imports: [ConfigModule, DatabaseModule, RedisModule, QueueModule, IdentityModule] })
export class CliModule {}

import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AllExceptionsFilter } from './platform/errors/all-exceptions.filter';
import { HealthModule } from './platform/health/health.module';
import { EnvelopeInterceptor } from './platform/http/envelope.interceptor';
import { LoggingModule } from './platform/logging/logging.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { QueueModule } from './platform/queue/queue.module';
import { RedisModule } from './platform/redis/redis.module';
import { DOMAIN_MODULES } from './domain-modules';
import { IdempotencyInterceptor } from './platform/idempotency/idempotency.interceptor';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { RateLimitGuard } from './platform/rate-limit/rate-limit.guard';
import { RateLimitModule } from './platform/rate-limit/rate-limit.module';
import { AuthGuard } from './modules/identity/auth.guard';

/** The HTTP API process. */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, RedisModule, QueueModule, MetricsModule, HealthModule, RateLimitModule, IdempotencyModule, ...DOMAIN_MODULES],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    // Guards run in this order: who is calling, then how often.
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_GUARD, useExisting: RateLimitGuard },
    // Interceptors: the first listed runs outermost. Idempotency stores and replays the whole
    // enveloped response, so it wraps the envelope.
    { provide: APP_INTERCEPTOR, useExisting: IdempotencyInterceptor },
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
  ],
})
export class AppModule {}

import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyPurgeService } from './idempotency-purge.service';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { ResponseCipher } from './response-cipher';

/**
 * Idempotency-Key support: the service (one transaction around a route), the interceptor that
 * applies it to POST/PATCH/PUT, and the hourly purge job. Needs DatabaseModule (global DataSource).
 */
@Module({
  providers: [ResponseCipher, IdempotencyRepository, IdempotencyService, IdempotencyInterceptor, IdempotencyPurgeService],
  exports: [IdempotencyService, IdempotencyInterceptor],
})
export class IdempotencyModule {}

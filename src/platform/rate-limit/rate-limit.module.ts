import { Module } from '@nestjs/common';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitService } from './rate-limit.service';
import { WindowLimiter } from './window-limiter';

/**
 * Redis-backed per-credential rate limits. Needs the global RedisModule and ConfigModule. The app
 * registers the guard globally after the auth guard: `{ provide: APP_GUARD, useExisting: RateLimitGuard }`.
 */
@Module({
  providers: [RateLimitService, RateLimitGuard, AuthFailureLimiter, WindowLimiter],
  exports: [RateLimitService, RateLimitGuard, AuthFailureLimiter, WindowLimiter],
})
export class RateLimitModule {}

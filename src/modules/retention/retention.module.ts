import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ClockModule } from '../../platform/clock/clock.module';
import { RetentionMetrics } from './retention-metrics';
import { RetentionService } from './retention.service';

/**
 * The daily retention job. It owns no table: each module that does binds its own
 * RetentionPolicy (see retention-policy.port.ts), found here by discovery.
 */
@Module({
  imports: [DiscoveryModule, ClockModule],
  providers: [RetentionService, RetentionMetrics],
  exports: [RetentionService],
})
export class RetentionModule {}

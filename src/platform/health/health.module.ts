import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

@Module({ controllers: [HealthController], providers: [HealthService, WorkerHeartbeatService], exports: [HealthService] })
export class HealthModule {}

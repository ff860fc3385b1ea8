import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RawBody } from '../http/envelope.interceptor';
import { HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @HttpCode(200)
  live(): RawBody {
    return new RawBody({ status: 'ok' });
  }

  /** 200 when PostgreSQL and Redis answer, 503 otherwise or once draining (SIGTERM); the worker's heartbeat is reported, not required. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<RawBody> {
    const report = await this.health.readiness();
    reply.status(report.status === 'ok' ? 200 : 503);
    return new RawBody(report);
  }
}

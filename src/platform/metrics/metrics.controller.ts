import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { NotFoundError } from '../errors/domain-errors';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    // With METRICS_PORT the scrape moves to that port (main.ts), off the public one: here it is a 404 like any unknown route.
    if (this.config.METRICS_PORT !== undefined) throw new NotFoundError('Resource');
    return this.metrics.registry.metrics();
  }
}

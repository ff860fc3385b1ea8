import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BackgroundLoop } from '../../platform/queue/background-loop.decorator';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhooksRepository } from './webhooks.repository';

const SWEEP_EVERY_MS = 15_000;
/** A pending delivery this late has lost its job (the process died between commit and enqueue). */
const OVERDUE_AFTER_MS = 30_000;

/** Re-enqueues deliveries whose job was lost; claiming the attempt in the database makes a duplicate harmless. */
@Injectable()
export class WebhookSweepService {
  private readonly logger = new Logger('WebhookSweep');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly deliveries: WebhookDeliveryProcessor,
  ) {}

  async sweep(): Promise<number> {
    const overdue = await this.repo.overdueDeliveries(this.dataSource.manager, OVERDUE_AFTER_MS, 1000);
    const tag = `sweep${Date.now()}`;
    await Promise.all(overdue.map((d) => this.deliveries.enqueueAttempt(d.id, d.attempts + 1, { tenantId: d.tenant_id, retry: tag })));
    return overdue.length;
  }

  @BackgroundLoop('webhook-sweep')
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.sweep().catch((err) => this.logger.error({ err }, 'webhook sweep failed; next round retries'));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, SWEEP_EVERY_MS);
        signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    }
  }
}

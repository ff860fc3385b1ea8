import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { QueueService } from '../../platform/queue/queue.service';
import { sendWebhook } from './webhook-sender';
import { signatureHeaders } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

export interface DeliverJob {
  deliveryId: string;
  attempt: number;
}

/**
 * The job id of one attempt. The database claim (attempts moves from n-1 to n once) is what makes
 * a duplicate job harmless; the id only saves Redis from obvious duplicates. A recovery enqueue
 * passes a `retry` tag so it is never swallowed by a stale job of the same attempt that BullMQ
 * still keeps (a failed or stalled one).
 */
export function attemptJobId(deliveryId: string, attempt: number, retry?: string): string {
  return retry ? `${deliveryId}-${attempt}-${retry}` : `${deliveryId}-${attempt}`;
}

/**
 * Makes one delivery attempt: claims it in the database (a duplicate job finds nothing to claim),
 * POSTs the signed event, records the attempt, and schedules the next one or ends the delivery.
 */
@Injectable()
export class WebhookDeliveryProcessor {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxAttempts(): number {
    return this.config.WEBHOOK_RETRY_DELAYS_MS.length + 1;
  }

  async enqueueAttempt(deliveryId: string, attempt: number, delayMs = 0, retry?: string): Promise<void> {
    await this.queues.enqueue('webhooks', 'deliver', { deliveryId, attempt } satisfies DeliverJob, {
      jobId: attemptJobId(deliveryId, attempt, retry),
      delay: delayMs,
    });
  }

  @JobHandler('webhooks', 'deliver')
  async deliver(job: DeliverJob): Promise<string> {
    const claimed = await this.repo.claimAttempt(this.dataSource.manager, job.deliveryId, job.attempt);
    if (!claimed) return 'nothing to do';
    const m = this.dataSource.manager;
    if (!claimed.active || claimed.deleted_at) {
      await this.repo.finishDelivery(m, claimed.id, { status: 'failed', nextAttemptAt: null, statusCode: null, error: 'endpoint disabled or deleted' });
      return 'endpoint disabled';
    }
    const body = JSON.stringify({
      id: claimed.event_id,
      type: claimed.type,
      created_at: new Date(claimed.created_at).toISOString(),
      livemode: claimed.mode === 'live',
      data: claimed.data,
    });
    const result = await sendWebhook(claimed.url, body, signatureHeaders(claimed.secret, claimed.event_id, body), {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    });
    await this.repo.recordAttempt(m, {
      tenantId: claimed.tenant_id,
      deliveryId: claimed.id,
      attempt: claimed.attempts,
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      error: result.error,
      responseExcerpt: result.responseExcerpt,
    });

    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    if (ok) {
      await this.repo.finishDelivery(m, claimed.id, { status: 'succeeded', nextAttemptAt: null, statusCode: result.statusCode, error: null });
      return 'succeeded';
    }
    if (result.statusCode === 410) {
      // 410 Gone: the receiver asks us to stop; the endpoint is disabled for every event.
      await this.repo.disableEndpoint(m, claimed.endpoint_id, 'receiver answered 410 Gone');
      await this.repo.finishDelivery(m, claimed.id, { status: 'failed', nextAttemptAt: null, statusCode: 410, error: 'endpoint disabled: 410 Gone' });
      return 'gone';
    }
    const error = result.error ?? `HTTP ${result.statusCode}`;
    if (claimed.attempts >= claimed.max_attempts) {
      await this.repo.finishDelivery(m, claimed.id, { status: 'failed', nextAttemptAt: null, statusCode: result.statusCode, error });
      this.logger.warn({ delivery: claimed.id, attempts: claimed.attempts }, 'webhook delivery failed for good');
      return 'failed';
    }
    const delay = this.config.WEBHOOK_RETRY_DELAYS_MS[Math.min(claimed.attempts - 1, this.config.WEBHOOK_RETRY_DELAYS_MS.length - 1)];
    await this.repo.finishDelivery(m, claimed.id, {
      status: 'pending',
      nextAttemptAt: new Date(Date.now() + delay),
      statusCode: result.statusCode,
      error,
    });
    await this.enqueueAttempt(claimed.id, claimed.attempts + 1, delay);
    return `retry in ${delay} ms`;
  }
}

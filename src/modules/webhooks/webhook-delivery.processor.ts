import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { StatementBatcher } from '../../database/statement-batcher';
import { JobHandler } from '../../platform/queue/job-handler.decorator';
import { QueueService } from '../../platform/queue/queue.service';
import { SpanKind, withSpan } from '../../platform/tracing/tracing';
import { TenantDeliverySlots } from './tenant-delivery-slots';
import { sendWebhook } from './webhook-sender';
import { signatureHeaders } from './webhook-signature';
import { WebhooksRepository, type AttemptRecord, type ClaimedAttempt } from './webhooks.repository';

export interface DeliverJob {
  deliveryId: string;
  attempt: number;
  /** The delivery's tenant, for its share of the delivery slots (jobs queued before it existed lack it). */
  tenantId?: string;
}

export interface EnqueueOptions {
  tenantId?: string;
  delayMs?: number;
  /** A tag that makes a fresh job id (recovery, or a job put back because its tenant was at its cap). */
  retry?: string;
}

/** How long a job waits when its tenant has every one of its slots busy (randomised so retries spread). */
const TENANT_BUSY_DELAY_MS = { min: 200, max: 800 };

/**
 * The job id of one attempt. The database claim (attempts moves from n-1 to n once) is what makes
 * a duplicate job harmless; the id only saves Redis from obvious duplicates. A recovery enqueue
 * passes a `retry` tag so it is never swallowed by a stale job of the same attempt that BullMQ
 * still keeps (a failed or stalled one).
 */
export function attemptJobId(deliveryId: string, attempt: number, retry?: string): string {
  return retry ? `${deliveryId}-${attempt}-${retry}` : `${deliveryId}-${attempt}`;
}

/** Time after the HTTP timeout within which a live worker records its attempt; past it, the sweep may take the delivery for lost. */
const RECORD_MARGIN_MS = 5_000;
/** Claims and records of concurrent jobs share statements: one round trip for many deliveries under load. */
const CLAIM_BATCHING = { maxBatch: 100, maxConcurrent: 2 };
/** Records are on the slot-holding path: one batch per running delivery of a tenant may run at once. */
const RECORD_BATCHING = { maxBatch: 100, maxConcurrent: 5 };

/**
 * Makes one delivery attempt: claims it in the database (a duplicate job finds nothing to claim),
 * POSTs the signed event, records the attempt, and schedules the next one or ends the delivery.
 */
@Injectable()
export class WebhookDeliveryProcessor {
  private readonly logger = new Logger('Webhooks');
  private readonly claims: StatementBatcher<{ deliveryId: string; attempt: number }, ClaimedAttempt | undefined>;
  private readonly records: StatementBatcher<AttemptRecord, void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly queues: QueueService,
    private readonly slots: TenantDeliverySlots,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.claims = new StatementBatcher((wanted) => this.repo.claimAttempts(this.dataSource, wanted, this.config.WEBHOOK_TIMEOUT_MS + RECORD_MARGIN_MS), CLAIM_BATCHING);
    this.records = new StatementBatcher(async (records) => {
      await this.repo.recordAttempts(this.dataSource, records);
      return records.map(() => undefined);
    }, RECORD_BATCHING);
  }

  get maxAttempts(): number {
    return this.config.WEBHOOK_RETRY_DELAYS_MS.length + 1;
  }

  async enqueueAttempt(deliveryId: string, attempt: number, options: EnqueueOptions = {}): Promise<void> {
    const data: DeliverJob = { deliveryId, attempt, ...(options.tenantId ? { tenantId: options.tenantId } : {}) };
    await this.queues.enqueue('webhooks', 'deliver', data, {
      jobId: attemptJobId(deliveryId, attempt, options.retry),
      delay: options.delayMs ?? 0,
    });
  }

  /**
   * Claims the attempt, then takes one of its tenant's delivery slots and keeps it until the
   * attempt is recorded (so a killed worker leaves at most that many POSTs unrecorded). When the
   * tenant has all of its slots busy and none will come free soon (a slow endpoint), the attempt
   * is given back and the job goes back with a short delay instead of holding a worker slot, so
   * other tenants' deliveries go first.
   */
  @JobHandler('webhooks', 'deliver')
  async deliver(job: DeliverJob): Promise<string> {
    const tenantId = job.tenantId ?? (await this.repo.tenantOfDelivery(this.dataSource.manager, job.deliveryId));
    if (!tenantId) return 'nothing to do';
    const claimed = await this.claims.submit({ deliveryId: job.deliveryId, attempt: job.attempt });
    if (!claimed) return 'nothing to do';
    if (!claimed.active || claimed.deleted_at) {
      await this.repo.finishDelivery(this.dataSource.manager, claimed.id, { status: 'failed', nextAttemptAt: null, statusCode: null, error: 'endpoint disabled or deleted' });
      return 'endpoint disabled';
    }
    const slot = await this.slots.acquire(tenantId).catch(async (err: unknown) => {
      await this.putBack(job, tenantId);
      throw err;
    });
    if (!slot) {
      await this.putBack(job, tenantId);
      return 'tenant at its delivery cap; put back';
    }
    try {
      return await this.attempt(claimed);
    } finally {
      await slot.release();
    }
  }

  private async putBack(job: DeliverJob, tenantId: string): Promise<void> {
    const delayMs = TENANT_BUSY_DELAY_MS.min + Math.floor(Math.random() * (TENANT_BUSY_DELAY_MS.max - TENANT_BUSY_DELAY_MS.min));
    await this.repo.unclaimAndPostpone(this.dataSource, job.deliveryId, job.attempt, delayMs);
    await this.enqueueAttempt(job.deliveryId, job.attempt, { tenantId, delayMs, retry: `busy${Date.now()}` });
  }

  private async attempt(claimed: ClaimedAttempt): Promise<string> {
    const body = JSON.stringify({
      id: claimed.event_id,
      type: claimed.type,
      created_at: new Date(claimed.created_at).toISOString(),
      livemode: claimed.mode === 'live',
      data: claimed.data,
    });
    // The POST (the http instrumentation's client span, which sends `traceparent`) is a child of this span,
    // itself in the trace of the job, the relay and the request that recorded the event.
    const result = await withSpan(
      'webhook.deliver',
      { kind: SpanKind.INTERNAL, attributes: { 'cbapi.webhook.delivery_id': claimed.id, 'cbapi.event.id': claimed.event_id, 'cbapi.webhook.attempt': claimed.attempts } },
      () => sendWebhook(claimed.url, body, signatureHeaders(claimed.secret, claimed.event_id, body), {
        timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
        allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
      }),
    );
    const record = (outcome: Pick<AttemptRecord, 'status' | 'nextAttemptAt' | 'lastError'>) =>
      this.records.submit({
        tenantId: claimed.tenant_id,
        deliveryId: claimed.id,
        attempt: claimed.attempts,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        error: result.error,
        responseExcerpt: result.responseExcerpt,
        ...outcome,
      });

    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    if (ok) {
      await record({ status: 'succeeded', nextAttemptAt: null, lastError: null });
      return 'succeeded';
    }
    if (result.statusCode === 410) {
      // 410 Gone: the receiver asks us to stop; the endpoint is disabled for every event.
      await this.repo.disableEndpoint(this.dataSource.manager, claimed.endpoint_id, 'receiver answered 410 Gone');
      await record({ status: 'failed', nextAttemptAt: null, lastError: 'endpoint disabled: 410 Gone' });
      return 'gone';
    }
    const error = result.error ?? `HTTP ${result.statusCode}`;
    if (claimed.attempts >= claimed.max_attempts) {
      await record({ status: 'failed', nextAttemptAt: null, lastError: error });
      this.logger.warn({ delivery: claimed.id, attempts: claimed.attempts }, 'webhook delivery failed for good');
      return 'failed';
    }
    const delay = this.config.WEBHOOK_RETRY_DELAYS_MS[Math.min(claimed.attempts - 1, this.config.WEBHOOK_RETRY_DELAYS_MS.length - 1)];
    await record({ status: 'pending', nextAttemptAt: new Date(Date.now() + delay), lastError: error });
    await this.enqueueAttempt(claimed.id, claimed.attempts + 1, { tenantId: claimed.tenant_id, delayMs: delay });
    return `retry in ${delay} ms`;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { BackgroundLoop } from '../../platform/queue/background-loop.decorator';
import { RequestContext } from '../../platform/context/request-context';
import { OUTBOX_CHANNEL } from '../events/events.service';
import { AlertsService } from '../notifications/alerts.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhooksRepository, type RelayEvent } from './webhooks.repository';

const BATCH_SIZE = 500;
const SWEEP_EVERY_MS = 15_000;
/** A pending delivery this late has lost its job (the process died between commit and enqueue). */
const OVERDUE_AFTER_MS = 30_000;

/**
 * Moves committed outbox events to delivery jobs. Claiming with FOR UPDATE SKIP LOCKED and
 * marking relayed in the same transaction means two relays never take the same event, and a
 * relay that dies mid-batch leaves its events unclaimed for the next one. A NOTIFY sent with each
 * event wakes the relay at commit; polling covers missed notifications.
 */
@Injectable()
export class OutboxRelayService {
  private readonly logger = new Logger('OutboxRelay');
  private lastSweep = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly deliveries: WebhookDeliveryProcessor,
    private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Relays one batch; returns how many events it took. */
  async relayBatch(): Promise<number> {
    const { events, created } = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.repo.claimUnrelayedEvents(manager, BATCH_SIZE);
      // Alert e-mails are recorded in the same transaction that marks their event relayed, so a
      // crash can neither lose an alert nor send one twice (the e-mail row is keyed by event id).
      for (const event of claimed.filter((e) => e.type === 'inventory.low' || e.type === 'inventory.out_of_stock')) {
        const ctx = RequestContext.system('outbox-relay', event.tenant_id, event.mode).withManager(manager);
        await this.alerts.notifyInventoryEvent(ctx, event as RelayEvent & { type: 'inventory.low' | 'inventory.out_of_stock' });
      }
      return { events: claimed, created: await this.repo.fanOut(manager, claimed, this.deliveries.maxAttempts) };
    });
    await Promise.all(created.map((d) => this.deliveries.enqueueAttempt(d.id, 1)));
    return events.length;
  }

  /** Re-enqueues deliveries whose job was lost; claiming the attempt in the database makes a duplicate harmless. */
  async sweep(): Promise<number> {
    const overdue = await this.repo.overdueDeliveries(this.dataSource.manager, OVERDUE_AFTER_MS, 1000);
    const tag = `sweep${Date.now()}`;
    await Promise.all(overdue.map((d) => this.deliveries.enqueueAttempt(d.id, d.attempts + 1, 0, tag)));
    return overdue.length;
  }

  @BackgroundLoop('outbox-relay')
  async run(signal: AbortSignal): Promise<void> {
    const listener = new Client({ connectionString: this.config.DATABASE_URL });
    let wake: (() => void) | undefined;
    listener.on('notification', () => wake?.());
    listener.on('error', (err) => this.logger.warn({ err: err.message }, 'outbox listener connection error; polling continues'));
    await listener.connect().then(() => listener.query(`LISTEN ${OUTBOX_CHANNEL}`)).catch((err) => {
      this.logger.warn({ err: err.message }, 'cannot LISTEN for outbox events; polling only');
    });
    try {
      while (!signal.aborted) {
        let taken = 0;
        try {
          taken = await this.relayBatch();
          if (Date.now() - this.lastSweep > SWEEP_EVERY_MS) {
            this.lastSweep = Date.now();
            await this.sweep();
          }
        } catch (err) {
          this.logger.error({ err }, 'outbox relay batch failed; retrying');
        }
        if (taken === BATCH_SIZE || signal.aborted) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.config.OUTBOX_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          signal.addEventListener('abort', wake, { once: true });
        });
      }
    } finally {
      await listener.end().catch(() => undefined);
    }
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { RequestContext } from '../../platform/context/request-context';
import { PortBindings } from '../../platform/ports/port-bindings';
import { BackgroundLoop } from '../../platform/queue/background-loop.decorator';
import { bindToActiveContext, contextFromTraceparent, SpanKind, withSpan } from '../../platform/tracing/tracing';
import { EVENT_SUBSCRIBER, type AfterCommit, type EventSubscriber, type RelayedEvent } from './event-subscriber.port';
import { OutboxListener } from './outbox-listener';
import { OutboxRepository, type ClaimedEvent } from './outbox.repository';
import { redactSecrets } from './redact-secrets';

const BATCH_SIZE = 500;
const MAX_RETRY_DELAY_MS = 6 * 60 * 60_000;
const MAX_ERROR_LENGTH = 500;

export interface BatchResult {
  claimed: number;
  relayed: number;
  failed: number;
}

/** Wait before try `attempts + 1` of a failed event: base, 2×base, 4×base… capped at 6 h. */
export function relayRetryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Hands committed outbox events to the subscribers bound to EVENT_SUBSCRIBER (webhook fan-out,
 * inventory alert mail). Claiming with FOR UPDATE SKIP LOCKED and marking in the same transaction
 * means two relays never take the same event and a relay that dies mid-batch leaves its events
 * for the next one. Each subscriber runs each event in a savepoint of its own: a failure rolls
 * back only that piece, records the failure on the event (retried with backoff, dead-lettered
 * after EVENT_RELAY_MAX_ATTEMPTS), and the batch goes on — one tenant's bad data cannot stop the
 * others' webhooks and mail. A subscriber with `handleBatch` takes all of a tenant's events of the
 * batch in one savepoint (a few statements instead of a few per event); should that fail, the
 * events go through `handle` one by one, so the poison event is still isolated. A NOTIFY sent with
 * each event wakes the relay at commit; polling covers missed notifications.
 */
@Injectable()
export class OutboxRelayService {
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly bindings: PortBindings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every binding of EVENT_SUBSCRIBER across modules. */
  subscribers(): EventSubscriber[] {
    return this.bindings.all<EventSubscriber>(EVENT_SUBSCRIBER);
  }

  /** Relays one batch; returns how many events it claimed and how they fared. */
  async relayBatch(): Promise<BatchResult> {
    const afterCommit: AfterCommit[] = [];
    const result = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.outbox.claimDue(manager, BATCH_SIZE);
      const relayed: string[] = [];
      let failed = 0;
      for (const group of byTenantAndMode(claimed)) {
        const batched = await this.runBatchSubscribers(manager, group);
        for (const event of group) {
          const failures = await this.relayOne(manager, event, afterCommit, batched.get(event.id));
          if (failures.length === 0) relayed.push(event.id);
          else {
            failed++;
            await this.recordFailure(manager, event, failures);
          }
        }
      }
      await this.outbox.markRelayed(manager, relayed);
      return { claimed: claimed.length, relayed: relayed.length, failed };
    });
    // Side by side: each step's Redis commands share the connection's pipeline instead of queueing one after another.
    // A lost after-commit step (Redis down, crash) is recovered by its module's sweep.
    await Promise.all(afterCommit.map((step) =>
      step().catch((err) => this.logger.warn({ err: (err as Error).message }, 'after-commit step of a relayed event failed')),
    ));
    return result;
  }

  /**
   * Runs each subscriber that has a `handleBatch` once over the events of one tenant and mode (in
   * one savepoint); returns, by event id, the subscribers that took it and their after-commit
   * work. A batch that throws is rolled back and left out: those events go through `handle` one by one.
   */
  private async runBatchSubscribers(manager: EntityManager, group: ClaimedEvent[]): Promise<Map<string, BatchedWork>> {
    const done = new Map<string, BatchedWork>();
    if (group.length < 2) return done;
    const { tenant_id: tenantId, mode } = group[0];
    const ctx = RequestContext.system('outbox-relay', tenantId, mode, `relay_${group[0].id}`);
    for (const subscriber of this.subscribers()) {
      if (!subscriber.handleBatch) continue;
      const rows = group.filter((row) => this.takes(subscriber, row));
      if (rows.length < 2) continue;
      try {
        const after = await manager.transaction((savepoint) => subscriber.handleBatch!(ctx.withManager(savepoint), rows.map(toRelayedEvent)));
        for (const row of rows) {
          const work = done.get(row.id) ?? { subscribers: new Set<string>(), after: [] };
          work.subscribers.add(subscriber.subscriberName);
          const step = after.get(row.id);
          if (step) work.after.push(step);
          done.set(row.id, work);
        }
      } catch (err) {
        this.logger.warn({ subscriber: subscriber.subscriberName, tenant: tenantId, events: rows.length, err: describe(err) }, 'a batch of events failed; relaying them one by one');
      }
    }
    return done;
  }

  private takes(subscriber: EventSubscriber, row: ClaimedEvent): boolean {
    return subscriber.wants(row.type) && (!row.relay_pending || row.relay_pending.includes(subscriber.subscriberName));
  }

  /** Relays one event in a span that continues the trace which recorded it (the API request, the job). */
  private relayOne(manager: EntityManager, row: ClaimedEvent, afterCommit: AfterCommit[], batched?: BatchedWork): Promise<{ name: string; error: string }[]> {
    return withSpan(
      `outbox.relay ${row.type}`,
      { kind: SpanKind.CONSUMER, parent: contextFromTraceparent(row.trace_parent), attributes: { 'cbapi.event.id': row.id, 'cbapi.event.type': row.type, 'cbapi.tenant.id': row.tenant_id } },
      async () => {
        // Work a batch did for this event still runs after the commit in this event's trace.
        for (const after of batched?.after ?? []) afterCommit.push(bindToActiveContext(after));
        return this.runSubscribers(manager, row, afterCommit, batched?.subscribers);
      },
    );
  }

  private async runSubscribers(manager: EntityManager, row: ClaimedEvent, afterCommit: AfterCommit[], done?: Set<string>): Promise<{ name: string; error: string }[]> {
    const event = toRelayedEvent(row);
    const ctx = RequestContext.system('outbox-relay', row.tenant_id, row.mode, `relay_${row.id}`);
    const failures: { name: string; error: string }[] = [];
    for (const subscriber of this.subscribers()) {
      if (done?.has(subscriber.subscriberName) || !this.takes(subscriber, row)) continue;
      try {
        // Inside the open transaction TypeORM makes this a savepoint: a failure undoes this subscriber's work only.
        const after = await manager.transaction((savepoint) => subscriber.handle(ctx.withManager(savepoint), event));
        // Run after the commit, but inside this event's trace: the jobs it enqueues carry it on.
        if (after) afterCommit.push(bindToActiveContext(after));
      } catch (err) {
        failures.push({ name: subscriber.subscriberName, error: describe(err) });
      }
    }
    return failures;
  }

  private async recordFailure(manager: EntityManager, event: ClaimedEvent, failures: { name: string; error: string }[]): Promise<void> {
    const attempts = event.relay_attempts + 1;
    const giveUp = attempts >= this.config.EVENT_RELAY_MAX_ATTEMPTS;
    const retryAt = giveUp ? null : new Date(Date.now() + relayRetryDelayMs(this.config.EVENT_RELAY_RETRY_BASE_MS, attempts));
    const error = failures.map((f) => `${f.name}: ${f.error}`).join('; ').slice(0, MAX_ERROR_LENGTH);
    await this.outbox.markFailed(manager, event.id, { attempts, error, pending: failures.map((f) => f.name), retryAt });
    this.logger.warn(
      { event: event.id, tenant: event.tenant_id, type: event.type, attempts, dead_lettered: giveUp, error },
      giveUp ? 'event dead-lettered: a subscriber kept failing' : 'a subscriber failed on an event; retrying later',
    );
  }

  @BackgroundLoop('outbox-relay')
  async run(signal: AbortSignal): Promise<void> {
    const listener = new OutboxListener(this.config.DATABASE_URL, this.logger);
    listener.start();
    try {
      while (!signal.aborted) {
        // Taken before the batch: a notification that arrives while it runs makes the loop look again at once.
        listener.take();
        let taken = 0;
        try {
          taken = (await this.relayBatch()).claimed;
        } catch (err) {
          this.logger.error({ err }, 'outbox relay batch failed; retrying');
        }
        if (taken === BATCH_SIZE || signal.aborted) continue;
        await listener.waitNext(this.config.OUTBOX_POLL_MS, signal);
      }
    } finally {
      await listener.stop();
    }
  }
}

interface BatchedWork {
  /** Subscribers that handled the event in a batch. */
  subscribers: Set<string>;
  after: AfterCommit[];
}

/** The claimed events by tenant and mode, each group in claim order (a batch subscriber works under one tenant's scope). */
function byTenantAndMode(rows: ClaimedEvent[]): ClaimedEvent[][] {
  const groups = new Map<string, ClaimedEvent[]>();
  for (const row of rows) {
    const key = `${row.tenant_id}:${row.mode}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

function toRelayedEvent(row: ClaimedEvent): RelayedEvent {
  return { id: row.id, tenantId: row.tenant_id, mode: row.mode, type: row.type, data: row.data, createdAt: new Date(row.created_at) };
}

function describe(err: unknown): string {
  const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  return redactSecrets(message);
}

import type { Mode, RequestContext } from '../../platform/context/request-context';

/** A committed event as the relay hands it to subscribers (a plain read model, no entity). */
export interface RelayedEvent {
  id: string;
  tenantId: string;
  mode: Mode;
  type: string;
  data: { object: Record<string, unknown> };
  createdAt: Date;
}

/** Work a subscriber wants done once the relay's transaction committed (e.g. enqueue jobs). */
export type AfterCommit = () => Promise<void>;

/**
 * The port through which other modules take committed events from the outbox. Bind it in the
 * subscribing module: `{ provide: EVENT_SUBSCRIBER, useExisting: MySubscriber }` — several
 * modules may bind it; the relay takes every binding (a multi-provider).
 *
 * `handle` runs inside the relay's transaction, in a savepoint of its own, with a `ctx` for the
 * event's tenant and mode that carries the transaction: database work only, no network I/O. It
 * must be idempotent (a retried event runs it again). When it throws, its work is rolled back and
 * the event is retried with backoff and finally dead-lettered, while the other subscribers and
 * the other events of the batch go on.
 */
export interface EventSubscriber {
  /** Stable name, recorded with a failure and used to retry only the subscribers that failed. */
  readonly subscriberName: string;
  wants(type: string): boolean;
  handle(ctx: RequestContext, event: RelayedEvent): Promise<AfterCommit | void>;
  /**
   * Optional fast path: several events of ONE tenant and mode (ctx's) at once, in one savepoint,
   * returning each event's after-commit work by event id. Same rules as `handle`. When it throws,
   * the relay rolls it back and runs `handle` per event instead, so a poison event still fails alone.
   */
  handleBatch?(ctx: RequestContext, events: RelayedEvent[]): Promise<Map<string, AfterCommit>>;
}

export const EVENT_SUBSCRIBER = Symbol('EVENT_SUBSCRIBER');

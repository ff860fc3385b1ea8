import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import { InvalidRequestError } from '../../platform/errors/domain-errors';
import { newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { Page } from '../../platform/pagination/page';
import { currentTraceparent } from '../../platform/tracing/tracing';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import type { EventEntity } from './entities/event.entity';
import { EventsRepository, type EventFilters } from './events.repository';

/**
 * Every event type the API emits: the spec's `EventType` enum (test/unit/event-types.spec.ts keeps the
 * two equal and checks that each `events.record` call names one). Types of modules not built yet
 * (shipments, tickets) join when their module records them.
 */
export const EVENT_TYPES = [
  'order.created', 'order.updated', 'order.cancelled', 'order.fulfilled', 'order.refunded',
  'product.created', 'product.updated', 'product.deleted',
  'inventory.low', 'inventory.out_of_stock',
  'customer.created', 'customer.updated',
  'payment.succeeded', 'payment.failed', 'payment.refunded',
  'invoice.created', 'invoice.paid', 'invoice.voided', 'invoice.refunded', 'invoice.payment_failed',
  'service.created', 'service.suspended', 'service.unsuspended', 'service.terminated',
  'ticket.created', 'ticket.replied', 'ticket.closed',
  'domain.registered', 'domain.renewed', 'domain.expiring', 'domain.expired', 'domain.transfer_out_requested',
  'shipment.created', 'shipment.in_transit', 'shipment.delivered', 'shipment.exception',
] as const satisfies readonly Schemas['EventType'][];

/** `order.*` for `order.created`: what a webhook endpoint or the events filter may name for a whole family. */
export function eventFamilyOf(type: string): string {
  return `${type.split('.')[0]}.*`;
}

export type EventType = (typeof EVENT_TYPES)[number] | 'webhook.test';

export { OUTBOX_CHANNEL } from './events.repository';

export function toEvent(e: EventEntity): Schemas['Event'] {
  return {
    id: e.id, type: e.type, created_at: e.createdAt.toISOString(), livemode: e.mode === 'live', data: e.data,
    delivery_status: deliveryStatus(e),
    dead_letter: !e.relayedAt && e.relayAttempts > 0
      ? {
          attempts: e.relayAttempts,
          last_error: e.relayError ?? '',
          failed_subscribers: e.relayPending ?? [],
          next_retry_at: e.deadLetteredAt ? null : e.relayRetryAt?.toISOString() ?? null,
          dead_lettered_at: e.deadLetteredAt?.toISOString() ?? null,
        }
      : null,
  };
}

function deliveryStatus(e: EventEntity): NonNullable<Schemas['Event']['delivery_status']> {
  if (e.relayedAt) return 'relayed';
  if (e.deadLetteredAt) return 'dead_lettered';
  return e.relayAttempts > 0 ? 'retrying' : 'pending';
}

@Injectable()
export class EventsService {
  constructor(private readonly repo: EventsRepository) {}

  /**
   * Records an event. Call it with the `ctx` of the transaction that makes the change: the event
   * row commits or rolls back with it, so no event is published for a change that did not happen.
   */
  async record(ctx: RequestContext, type: EventType, object: object): Promise<string> {
    if (!ctx.manager) throw new Error(`events.record(${type}) must run inside the change's transaction`);
    const id = newId('evt');
    // The trace of the change (the API request, the job) travels with the event to the relay, the queue and the webhook POST.
    await this.repo.insertAndNotify(ctx, { id, type, data: { object: object as Record<string, unknown> }, traceParent: currentTraceparent() });
    return id;
  }

  async get(ctx: RequestContext, id: string): Promise<Schemas['Event']> {
    return toEvent(await this.repo.get(ctx, parseIdOr404(id, 'evt', 'event')));
  }

  async list(ctx: RequestContext, page: PageQuery, order: SortOrder, filters: EventFilters): Promise<Page<Schemas['Event']>> {
    if (filters.type && !isKnownTypeFilter(filters.type)) {
      throw new InvalidRequestError('type must be an event type (e.g. order.created) or a family (order.*)', 'type');
    }
    return (await this.repo.list(ctx, page, order, filters)).map(toEvent);
  }
}

function isKnownTypeFilter(type: string): boolean {
  return EVENT_TYPES.some((t) => t === type || eventFamilyOf(t) === type);
}

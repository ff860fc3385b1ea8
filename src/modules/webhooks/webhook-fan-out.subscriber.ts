import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { AfterCommit, EventSubscriber, RelayedEvent } from '../events/event-subscriber.port';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Takes every committed event from the outbox relay (bound to EVENT_SUBSCRIBER in WebhooksModule):
 * records one delivery per subscribed endpoint in the relay's transaction, and enqueues their
 * first attempts once it committed. Test events go to one endpoint directly, never through here.
 */
@Injectable()
export class WebhookFanOutSubscriber implements EventSubscriber {
  readonly subscriberName = 'webhooks';

  constructor(
    private readonly repo: WebhooksRepository,
    private readonly deliveries: WebhookDeliveryProcessor,
  ) {}

  wants(type: string): boolean {
    return type !== 'webhook.test';
  }

  async handle(ctx: RequestContext, event: RelayedEvent): Promise<AfterCommit | void> {
    return (await this.handleBatch(ctx, [event])).get(event.id);
  }

  /** All of a tenant's events of a relay batch in two statements; each event's first attempts enqueued after the commit. */
  async handleBatch(ctx: RequestContext, events: RelayedEvent[]): Promise<Map<string, AfterCommit>> {
    const created = await this.repo.fanOutEvents(ctx, events, this.deliveries.maxAttempts);
    const byEvent = new Map<string, string[]>();
    for (const d of created) byEvent.set(d.event_id, [...(byEvent.get(d.event_id) ?? []), d.id]);
    const tenantId = ctx.tenant;
    return new Map([...byEvent].map(([eventId, ids]) => [eventId, async () => {
      await Promise.all(ids.map((id) => this.deliveries.enqueueAttempt(id, 1, { tenantId })));
    }]));
  }
}

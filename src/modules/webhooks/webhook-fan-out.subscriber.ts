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
    const created = await this.repo.fanOutEvent(ctx, event, this.deliveries.maxAttempts);
    if (created.length === 0) return;
    return async () => {
      await Promise.all(created.map((d) => this.deliveries.enqueueAttempt(d.id, 1, { tenantId: event.tenantId })));
    };
  }
}

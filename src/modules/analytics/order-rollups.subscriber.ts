import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';
import type { EventSubscriber, RelayedEvent } from '../events/event-subscriber.port';
import { RollupsService } from './rollups.service';

/**
 * Takes every `order.*` event from the outbox relay (bound to EVENT_SUBSCRIBER in AnalyticsModule)
 * and keeps the rollups in the relay's transaction: the order snapshot the event carries replaces
 * the order's fact when newer, so a retried or replayed event changes nothing.
 */
@Injectable()
export class OrderRollupsSubscriber implements EventSubscriber {
  readonly subscriberName = 'analytics-rollups';

  constructor(private readonly rollups: RollupsService) {}

  wants(type: string): boolean {
    return type.startsWith('order.');
  }

  async handle(ctx: RequestContext, event: RelayedEvent): Promise<void> {
    await this.rollups.applyOrder(ctx, event.data.object as unknown as Schemas['Order'], event.id);
  }
}

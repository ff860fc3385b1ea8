import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { EventSubscriber, RelayedEvent } from '../events/event-subscriber.port';
import { AlertsService } from './alerts.service';

/**
 * Takes `inventory.low|out_of_stock` from the outbox relay (bound to EVENT_SUBSCRIBER in
 * NotificationsModule). The e-mail row is recorded in the relay's transaction, keyed by the
 * event id, so a crash can neither lose an alert nor send one twice; a refused recipient fails
 * this event alone (dead-lettered by the relay), never the batch.
 */
@Injectable()
export class InventoryAlertSubscriber implements EventSubscriber {
  readonly subscriberName = 'inventory-alerts';

  constructor(private readonly alerts: AlertsService) {}

  wants(type: string): boolean {
    return type === 'inventory.low' || type === 'inventory.out_of_stock';
  }

  async handle(ctx: RequestContext, event: RelayedEvent): Promise<void> {
    await this.alerts.notifyInventoryEvent(ctx, { id: event.id, type: event.type, data: event.data });
  }
}

import { Module } from '@nestjs/common';
import { EVENT_SUBSCRIBER } from '../events/event-subscriber.port';
import { EventsModule } from '../events/events.module';
import { TenantDeliverySlots } from './tenant-delivery-slots';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookFanOutSubscriber } from './webhook-fan-out.subscriber';
import { WebhookSweepService } from './webhook-sweep.service';
import { WebhookUrlPreflight } from './webhook-url.preflight';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { WebhookAttemptsRetention, WebhookDeliveriesRetention } from './webhooks.retention';

/** Endpoints API (API process); the events relay's fan-out subscriber, delivery jobs and the overdue sweep (worker process). */
@Module({
  imports: [EventsModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository, WebhooksService, WebhookDeliveryProcessor, TenantDeliverySlots, WebhookSweepService, WebhookUrlPreflight,
    WebhookFanOutSubscriber, WebhookDeliveriesRetention, WebhookAttemptsRetention,
    { provide: EVENT_SUBSCRIBER, useExisting: WebhookFanOutSubscriber },
  ],
})
export class WebhooksModule {}

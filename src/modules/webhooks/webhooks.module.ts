import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OutboxRelayService } from './outbox-relay.service';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';
import { WebhookAttemptsRetention, WebhookDeliveriesRetention } from './webhooks.retention';

/** Endpoints API (API process); relay loop and delivery jobs (worker process). */
@Module({
  imports: [EventsModule, NotificationsModule],
  controllers: [WebhooksController],
  providers: [WebhooksRepository, WebhooksService, WebhookDeliveryProcessor, OutboxRelayService, WebhookDeliveriesRetention, WebhookAttemptsRetention],
})
export class WebhooksModule {}

import { Module } from '@nestjs/common';
import { PortsModule } from '../../platform/ports/ports.module';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';
import { EventsRetention } from './events.retention';

/**
 * The outbox, its relay and the events API. Other modules call EventsService.record inside their
 * transactions, and take committed events by binding the EVENT_SUBSCRIBER port (event-subscriber.port.ts);
 * the relay loop runs in the worker process only.
 */
@Module({
  imports: [PortsModule],
  controllers: [EventsController],
  providers: [EventsRepository, EventsService, OutboxRepository, OutboxRelayService, EventsRetention],
  exports: [EventsService],
})
export class EventsModule {}

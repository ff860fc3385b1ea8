import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { EventsRetention } from './events.retention';

/** The outbox and the events API. Other modules call EventsService.record inside their transactions. */
@Module({
  controllers: [EventsController],
  providers: [EventsRepository, EventsService, EventsRetention],
  exports: [EventsService],
})
export class EventsModule {}

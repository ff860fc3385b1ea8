import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { EventsModule } from '../events/events.module';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

/** Customers (the hosting API's clients) and their addresses. Other modules use CustomersService only. */
@Module({
  imports: [EventsModule, IdentityModule],
  controllers: [CustomersController],
  providers: [CustomersRepository, CustomersService],
  exports: [CustomersService],
})
export class CustomersModule {}

import { Module } from '@nestjs/common';
import { PortsModule } from '../../platform/ports/ports.module';
import { CUSTOMER_DIRECTORY } from '../identity/customer-directory.port';
import { IdentityModule } from '../identity/identity.module';
import { EventsModule } from '../events/events.module';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';

/**
 * Customers (the hosting API's clients) and their addresses. Other modules use CustomersService,
 * which hands out plain CustomerRecords; binds identity's CUSTOMER_DIRECTORY port. Its own ports
 * (CUSTOMER_REFERENCES, ORDER_SUMMARIES) are bound by the modules that reference customers.
 */
@Module({
  imports: [EventsModule, IdentityModule, PortsModule],
  controllers: [CustomersController],
  providers: [CustomersRepository, CustomersService, { provide: CUSTOMER_DIRECTORY, useExisting: CustomersService }],
  exports: [CustomersService],
})
export class CustomersModule {}

import { Module, OnModuleInit } from '@nestjs/common';
import { NotFoundError } from '../../platform/errors/domain-errors';
import { CustomerRecords } from '../identity/customer-records';
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
export class CustomersModule implements OnModuleInit {
  constructor(
    private readonly records: CustomerRecords,
    private readonly customers: CustomersService,
  ) {}

  /** Identity links customer logins to customer records; it asks here whether a record exists. */
  onModuleInit(): void {
    this.records.register((ctx, id) =>
      this.customers.getOrThrow(ctx, id).then(
        () => true,
        (err) => (err instanceof NotFoundError ? false : Promise.reject(err)),
      ),
    );
  }
}

import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CUSTOMER_REFERENCES } from '../customers/customer-references.port';
import { CustomersModule } from '../customers/customers.module';
import { ORDER_SUMMARIES } from '../customers/order-summary.port';
import { EventsModule } from '../events/events.module';
import { InventoryModule } from '../inventory/inventory.module';
import { PAYMENT_TARGETS } from '../payments/payment-targets.port';
import { PaymentsModule } from '../payments/payments.module';
import { OrderCustomerReferences } from './order-customer-references';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/**
 * Orders: creation with stock reservation, the status machine, cancellation. Binds the ports of
 * other modules it provides for: payments' 'order' target, the customers' order summary and their
 * deletion blockers. Talks to payments through its own ORDER_PAYMENTS port (payments.port.ts).
 */
@Module({
  imports: [EventsModule, CustomersModule, CatalogModule, InventoryModule, PaymentsModule],
  controllers: [OrdersController],
  providers: [
    OrdersRepository, OrdersService, OrderCustomerReferences,
    { provide: PAYMENT_TARGETS.order, useExisting: OrdersService },
    { provide: ORDER_SUMMARIES, useExisting: OrdersService },
    { provide: CUSTOMER_REFERENCES, useExisting: OrderCustomerReferences },
  ],
  exports: [OrdersService],
})
export class OrdersModule {}

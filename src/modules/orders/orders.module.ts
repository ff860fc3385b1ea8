import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomersModule } from '../customers/customers.module';
import { CustomersService } from '../customers/customers.service';
import { EventsModule } from '../events/events.module';
import { InventoryModule } from '../inventory/inventory.module';
import { PaymentTargets } from '../payments/payment-targets';
import { PaymentsModule } from '../payments/payments.module';
import { OrderCustomerReferences } from './order-customer-references';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/**
 * Orders: creation with stock reservation, the status machine, cancellation. Registers the
 * customers' order summary and the 'order' payment target; other modules use OrdersService only.
 */
@Module({
  imports: [EventsModule, CustomersModule, CatalogModule, InventoryModule, PaymentsModule],
  controllers: [OrdersController],
  providers: [OrdersRepository, OrdersService, OrderCustomerReferences],
  exports: [OrdersService, OrderCustomerReferences],
})
export class OrdersModule implements OnModuleInit {
  constructor(
    private readonly orders: OrdersService,
    private readonly customers: CustomersService,
    private readonly paymentTargets: PaymentTargets,
  ) {}

  onModuleInit(): void {
    this.customers.registerOrderSummaryProvider((ctx, customerId) => this.orders.summaryOfCustomer(ctx, customerId));
    this.paymentTargets.register('order', {
      lockPayable: (ctx, orderId, currency) => this.orders.lockPayable(ctx, orderId, currency),
      lock: async (ctx, orderId) => void (await this.orders.lockForPayment(ctx, orderId)),
      onPaymentChanged: (ctx, orderId, summary) => this.orders.onPaymentChanged(ctx, orderId, summary),
    });
  }
}

import { Module } from '@nestjs/common';
import { PortsModule } from '../../platform/ports/ports.module';
import { ANALYTICS_ORDER_SOURCE } from '../analytics/order-source.port';
import { CatalogModule } from '../catalog/catalog.module';
import { CUSTOMER_REFERENCES } from '../customers/customer-references.port';
import { CustomersModule } from '../customers/customers.module';
import { ORDER_SUMMARIES } from '../customers/order-summary.port';
import { EventsModule } from '../events/events.module';
import { InventoryModule } from '../inventory/inventory.module';
import { PAYMENT_TARGETS } from '../payments/payment-targets.port';
import { PaymentsModule } from '../payments/payments.module';
import { SHIPMENT_ORDERS } from '../shipping/shipment-orders.port';
import { OrderAnalyticsSource } from './order-analytics-source';
import { OrderCustomerReferences } from './order-customer-references';
import { OrderFulfilmentService } from './order-fulfilment.service';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

/**
 * Orders: creation with stock reservation, the status machine, cancellation. Binds the ports of
 * other modules it provides for: payments' 'order' target, the customers' order summary and their
 * deletion blockers, and analytics' order source (rebuilds). Talks to payments through its own ORDER_PAYMENTS port (payments.port.ts).
 */
@Module({
  imports: [EventsModule, CustomersModule, CatalogModule, InventoryModule, PaymentsModule, PortsModule],
  controllers: [OrdersController],
  providers: [
    OrdersRepository, OrdersService, OrderCustomerReferences, OrderFulfilmentService, OrderAnalyticsSource,
    { provide: PAYMENT_TARGETS.order, useExisting: OrdersService },
    { provide: ORDER_SUMMARIES, useExisting: OrdersService },
    { provide: CUSTOMER_REFERENCES, useExisting: OrderCustomerReferences },
    { provide: SHIPMENT_ORDERS, useExisting: OrderFulfilmentService },
    { provide: ANALYTICS_ORDER_SOURCE, useExisting: OrderAnalyticsSource },
  ],
  exports: [OrdersService, SHIPMENT_ORDERS],
})
export class OrdersModule {}

import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OrdersModule } from '../orders/orders.module';
import { CarrierWebhooksController } from './carrier-webhooks.controller';
import { CarrierRegistry } from './carriers/carrier-registry';
import { ShipmentLabelsService } from './shipment-labels.service';
import { ShipmentTrackingService } from './shipment-tracking.service';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';
import { ShippingConfigService } from './shipping-config.service';
import { ShippingController } from './shipping.controller';
import { ShippingRateQuotesRetention } from './shipping-rate-quotes.retention';
import { ShippingRatesService } from './shipping-rates.service';
import { ORDER_SHIPPING_PRICES } from '../orders/order-shipping.port';
import { ShippingRepository } from './shipping.repository';

/**
 * Shipping: carriers behind an adapter interface (built-in table rates and a sandbox), rates and
 * quotes, zones and settings, shipments with labels, and tracking. Reaches orders only through the
 * `SHIPMENT_ORDERS` port that OrdersModule binds; binds the orders module's
 * `ORDER_SHIPPING_PRICES` port to ShippingRatesService.
 */
@Module({
  imports: [EventsModule, OrdersModule],
  controllers: [ShippingController, ShipmentsController, CarrierWebhooksController],
  providers: [
    CarrierRegistry, ShippingRepository, ShipmentsRepository, ShippingConfigService, ShippingRatesService,
    ShipmentsService, ShipmentTrackingService, ShipmentLabelsService, ShippingRateQuotesRetention,
    { provide: ORDER_SHIPPING_PRICES, useExisting: ShippingRatesService },
  ],
})
export class ShippingModule {}

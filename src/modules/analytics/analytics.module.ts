import { Module } from '@nestjs/common';
import { EVENT_SUBSCRIBER } from '../events/event-subscriber.port';
import { EventsModule } from '../events/events.module';
import { PortsModule } from '../../platform/ports/ports.module';
import { AnalyticsController } from './analytics.controller';
import { CustomReportService } from './custom-report.service';
import { CustomerRollupsRebuildRepository } from './customer-rollups-rebuild.repository';
import { CustomerRollupsRepository } from './customer-rollups.repository';
import { CustomerRollupsService } from './customer-rollups.service';
import { CustomersReportRepository } from './customers-report.repository';
import { CustomersReportService } from './customers-report.service';
import { OrderRollupsSubscriber } from './order-rollups.subscriber';
import { ProductsReportService } from './products-report.service';
import { ReportsRepository } from './reports.repository';
import { RollupsRebuildRepository } from './rollups-rebuild.repository';
import { RollupsRepository } from './rollups.repository';
import { RollupsService } from './rollups.service';
import { SalesReportService } from './sales-report.service';

/**
 * Analytics: rollups kept from the order events (OrderRollupsSubscriber, bound to the events
 * module's EVENT_SUBSCRIBER), rebuilt from the orders through ANALYTICS_ORDER_SOURCE (bound by
 * OrdersModule), and the reports over them; product names, categories and stock come through
 * ANALYTICS_PRODUCT_DIRECTORY (bound by CatalogModule).
 */
@Module({
  imports: [EventsModule, PortsModule],
  controllers: [AnalyticsController],
  providers: [
    RollupsRepository, RollupsRebuildRepository, RollupsService, OrderRollupsSubscriber,
    CustomerRollupsRepository, CustomerRollupsRebuildRepository, CustomerRollupsService,
    ReportsRepository, CustomersReportRepository,
    SalesReportService, ProductsReportService, CustomersReportService, CustomReportService,
    { provide: EVENT_SUBSCRIBER, useExisting: OrderRollupsSubscriber },
  ],
  exports: [RollupsService],
})
export class AnalyticsModule {}

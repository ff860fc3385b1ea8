import { Module } from '@nestjs/common';
import { ANALYTICS_PRODUCT_DIRECTORY } from '../analytics/product-directory.port';
import { PortsModule } from '../../platform/ports/ports.module';
import { EventsModule } from '../events/events.module';
import { ProductAnalyticsDirectory } from './product-analytics-directory';
import { CatalogController } from './catalog.controller';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

/** Products, variants, subscription tiers and categories. Other modules call ProductsService.getForSale; binds analytics' product directory. */
@Module({
  imports: [EventsModule, PortsModule],
  controllers: [ProductsController, CatalogController],
  providers: [ProductsRepository, ProductsService, ProductAnalyticsDirectory, { provide: ANALYTICS_PRODUCT_DIRECTORY, useExisting: ProductAnalyticsDirectory }],
  exports: [ProductsService],
})
export class CatalogModule {}

import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { CatalogController } from './catalog.controller';
import { ProductsController } from './products.controller';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

/** Products, variants, subscription tiers and categories. Other modules call ProductsService.getForSale. */
@Module({
  imports: [EventsModule],
  controllers: [ProductsController, CatalogController],
  providers: [ProductsRepository, ProductsService],
  exports: [ProductsService],
})
export class CatalogModule {}

import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { INITIAL_STOCK } from '../catalog/initial-stock.port';
import { EventsModule } from '../events/events.module';
import { InventoryController } from './inventory.controller';
import { InventoryRepository } from './inventory.repository';
import { InventoryService } from './inventory.service';
import { LocationsController } from './locations.controller';

/** Locations, stock levels, the movements ledger and alerts. Orders call InventoryService.reserve/release/commit; binds catalog's INITIAL_STOCK. */
@Module({
  imports: [CatalogModule, EventsModule],
  controllers: [LocationsController, InventoryController],
  providers: [InventoryRepository, InventoryService, { provide: INITIAL_STOCK, useExisting: InventoryService }],
  exports: [InventoryService],
})
export class InventoryModule {}

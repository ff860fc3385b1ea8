import { Module } from '@nestjs/common';
import { BillingModule } from '../billing/billing.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomersModule } from '../customers/customers.module';
import { SANDBOX_SEEDER } from '../identity/sandbox-seeder.port';
import { InventoryModule } from '../inventory/inventory.module';
import { OrdersModule } from '../orders/orders.module';
import { SampleDataService } from './sample-data.service';
import { SandboxController } from './sandbox.controller';
import { SandboxRepository } from './sandbox.repository';
import { SandboxService } from './sandbox.service';

/** A sandbox's sample data (identity's SANDBOX_SEEDER, run after sign-up) and `POST /sandbox/reset`. */
@Module({
  imports: [CatalogModule, CustomersModule, InventoryModule, OrdersModule, BillingModule],
  controllers: [SandboxController],
  providers: [SandboxRepository, SampleDataService, SandboxService, { provide: SANDBOX_SEEDER, useExisting: SampleDataService }],
})
export class SandboxModule {}

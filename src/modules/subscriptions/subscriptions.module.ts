import { Module, type OnModuleInit } from '@nestjs/common';
import { ClockModule } from '../../platform/clock/clock.module';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { BillingModule } from '../billing/billing.module';
import { InvoicesService } from '../billing/invoices.service';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { AccountStatusController } from './account-status.controller';
import { AccountStatusService } from './account-status.service';
import { INVOICES, type InvoicesPort } from './invoices.port';
import { CheckoutController } from './checkout.controller';
import { CheckoutPurchaseService } from './checkout-purchase.service';
import { CheckoutService } from './checkout.service';
import { RenewalsService } from './renewals.service';
import { ServiceCustomerReferences } from './service-customer-references';
import { ServicesController } from './services.controller';
import { ServicesRepository } from './services.repository';
import { ServicesService } from './services.service';
import { CheckoutLinksRetention } from './checkout-links.retention';

/**
 * Services (subscriptions): CRUD with prorated changes and the status machine, the renewal and
 * dunning job (`subscriptions:renew-due`), account status / fix / public-URL routes and the hosted
 * checkout `/r/{token}` (the page, and its POST that starts the service or issues the invoice).
 * Talks to billing only through InvoicesService (the `INVOICES` port) and registers the
 * invoice-paid listener that reactivates services.
 */
@Module({
  // RateLimitModule: the checkout page's per-token and per-IP guard (@HostedPage) counts with it.
  imports: [ClockModule, EventsModule, CustomersModule, CatalogModule, BillingModule, RateLimitModule],
  controllers: [ServicesController, AccountStatusController, CheckoutController],
  providers: [
    { provide: INVOICES, useExisting: InvoicesService },
    ServicesRepository, ServicesService, RenewalsService, AccountStatusService, CheckoutPurchaseService, CheckoutService,
    ServiceCustomerReferences, CheckoutLinksRetention,
  ],
  exports: [ServicesService, RenewalsService, ServiceCustomerReferences],
})
export class SubscriptionsModule implements OnModuleInit {
  constructor(
    private readonly services: ServicesService,
    private readonly invoices: InvoicesService,
  ) {}

  onModuleInit(): void {
    const port: InvoicesPort = this.invoices;
    port.onInvoicePaid((ctx, invoice) => this.services.onInvoicePaid(ctx, invoice));
  }
}

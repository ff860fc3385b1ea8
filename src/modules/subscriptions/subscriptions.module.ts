import { Module } from '@nestjs/common';
import { ClockModule } from '../../platform/clock/clock.module';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { BillingModule } from '../billing/billing.module';
import { INVOICE_PAID_LISTENERS } from '../billing/invoice-paid.port';
import { CatalogModule } from '../catalog/catalog.module';
import { CUSTOMER_REFERENCES } from '../customers/customer-references.port';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { AccountStatusController } from './account-status.controller';
import { AccountStatusService } from './account-status.service';
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
 * Talks to billing only through its own ports (invoices.port.ts, bound by BillingModule), and
 * binds billing's INVOICE_PAID_LISTENERS (paid invoices reactivate services) and the customers'
 * CUSTOMER_REFERENCES.
 */
@Module({
  // RateLimitModule: the checkout page's per-token and per-IP guard (@HostedPage) counts with it.
  imports: [ClockModule, EventsModule, CustomersModule, CatalogModule, BillingModule, RateLimitModule],
  controllers: [ServicesController, AccountStatusController, CheckoutController],
  providers: [
    ServicesRepository, ServicesService, RenewalsService, AccountStatusService, CheckoutPurchaseService, CheckoutService,
    ServiceCustomerReferences, CheckoutLinksRetention,
    { provide: INVOICE_PAID_LISTENERS, useExisting: ServicesService },
    { provide: CUSTOMER_REFERENCES, useExisting: ServiceCustomerReferences },
  ],
  exports: [ServicesService, RenewalsService],
})
export class SubscriptionsModule {}

import { Global, Module } from '@nestjs/common';
import { BillingModule } from './modules/billing/billing.module';
import { InvoiceCustomerReferences } from './modules/billing/invoice-customer-references';
import { CUSTOMER_REFERENCES, type CustomerReferences } from './modules/customers/customer-references.port';
import { DomainCustomerReferences } from './modules/domains/domain-customer-references';
import { DomainsModule } from './modules/domains/domains.module';
import { OrderCustomerReferences } from './modules/orders/order-customer-references';
import { OrdersModule } from './modules/orders/orders.module';
import { ServiceCustomerReferences } from './modules/subscriptions/service-customer-references';
import { SubscriptionsModule } from './modules/subscriptions/subscriptions.module';

/**
 * Composition, not a domain: binds the customers module's `CUSTOMER_REFERENCES` port to the
 * implementations that orders, billing, subscriptions and domains export. It has to live above those
 * modules (they import customers, so customers cannot import them), and it is global so the
 * customers module can inject the token without importing anything. Plain DI: resolved once at
 * boot, no registration calls at start-up.
 */
@Global()
@Module({
  imports: [OrdersModule, BillingModule, SubscriptionsModule, DomainsModule],
  providers: [
    {
      provide: CUSTOMER_REFERENCES,
      inject: [ServiceCustomerReferences, InvoiceCustomerReferences, OrderCustomerReferences, DomainCustomerReferences],
      useFactory: (...sources: CustomerReferences[]): CustomerReferences[] => sources,
    },
  ],
  exports: [CUSTOMER_REFERENCES],
})
export class CustomerReferencesModule {}

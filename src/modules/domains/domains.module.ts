import { Module } from '@nestjs/common';
import { ClockModule } from '../../platform/clock/clock.module';
import { BillingModule } from '../billing/billing.module';
import { INVOICE_PAID_LISTENERS } from '../billing/invoice-paid.port';
import { CUSTOMER_REFERENCES } from '../customers/customer-references.port';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { DomainCustomerReferences } from './domain-customer-references';
import { DomainRenewalsService } from './domain-renewals.service';
import { DomainsController } from './domains.controller';
import { DomainsRepository } from './domains.repository';
import { DomainsService } from './domains.service';
import { Registrars } from './registrars/registrars';
import { TldPricesController } from './tld-prices.controller';
import { TldPricesService } from './tld-prices.service';

/**
 * Domains: check / register / renew / nameservers / transfer-out through a registrar adapter
 * (registrars/registrar.ts; the sandbox in test mode), the per-TLD price table of each tenant
 * (`/settings/tld-prices`) and the renewal job (`domains:renew-due`). Invoices go through the
 * `DOMAIN_INVOICING` port, which BillingModule binds; it binds billing's INVOICE_PAID_LISTENERS (a paid
 * renewal invoice renews the domain) and the customers' CUSTOMER_REFERENCES.
 */
@Module({
  imports: [ClockModule, EventsModule, CustomersModule, BillingModule],
  controllers: [DomainsController, TldPricesController],
  providers: [
    DomainsRepository, DomainsService, TldPricesService, DomainRenewalsService, Registrars, DomainCustomerReferences,
    { provide: INVOICE_PAID_LISTENERS, useExisting: DomainRenewalsService },
    { provide: CUSTOMER_REFERENCES, useExisting: DomainCustomerReferences },
  ],
  exports: [DomainRenewalsService],
})
export class DomainsModule {}

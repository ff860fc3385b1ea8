import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ClockModule } from '../../platform/clock/clock.module';
import { BillingModule } from '../billing/billing.module';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { DomainCustomerReferences } from './domain-customer-references';
import { DOMAIN_INVOICING, type DomainInvoicingPort } from './domain-invoicing.port';
import { DomainRenewalsService } from './domain-renewals.processor';
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
 * `DOMAIN_INVOICING` port, which BillingModule binds.
 */
@Module({
  imports: [ClockModule, EventsModule, CustomersModule, BillingModule],
  controllers: [DomainsController, TldPricesController],
  providers: [DomainsRepository, DomainsService, TldPricesService, DomainRenewalsService, Registrars, DomainCustomerReferences],
  exports: [DomainRenewalsService, DomainCustomerReferences],
})
export class DomainsModule implements OnModuleInit {
  constructor(
    @Inject(DOMAIN_INVOICING) private readonly invoicing: DomainInvoicingPort,
    private readonly renewals: DomainRenewalsService,
  ) {}

  /** The paid-invoice hook, wired the way subscriptions wires its own today (see DomainInvoicingPort.onInvoicePaid). */
  onModuleInit(): void {
    this.invoicing.onInvoicePaid((ctx, invoice) => this.renewals.onInvoicePaid(ctx, invoice));
  }
}

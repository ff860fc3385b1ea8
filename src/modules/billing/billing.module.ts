import { Module } from '@nestjs/common';
import { PortsModule } from '../../platform/ports/ports.module';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CUSTOMER_REFERENCES } from '../customers/customer-references.port';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PAYMENT_TARGETS } from '../payments/payment-targets.port';
import { PaymentsModule } from '../payments/payments.module';
import { INVOICE_CHARGES, INVOICES } from '../subscriptions/invoices.port';
import { DOMAIN_INVOICING } from '../domains/domain-invoicing.port';
import { DomainInvoicingAdapter } from './domain-invoicing.adapter';
import { HostedCardAttempts } from './hosted-card-attempts';
import { HostedInvoicesService } from './hosted-invoices.service';
import { InvoicePaymentsController } from './invoice-payments.controller';
import { HostedPayController } from './hosted-pay.controller';
import { HostedPayService } from './hosted-pay.service';
import { InvoiceCustomerReferences } from './invoice-customer-references';
import { InvoiceLinksService } from './invoice-links.service';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoiceSettlementService } from './invoice-settlement.service';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { PayLinkTokensRetention } from './pay-link-tokens.retention';
import { RedirectDomainsController } from './redirect-domains.controller';
import { RedirectDomainsRepository } from './redirect-domains.repository';
import { RedirectDomainsService } from './redirect-domains.service';

/**
 * Billing: invoices (numbers, totals, the status machine, payment and refunds through payments,
 * the invoice e-mail) and the hosted invoice page `/pay/{token}`. Talks to payments through its
 * own INVOICE_PAYMENTS port (payments.port.ts); binds the ports other modules declared: payments'
 * 'invoice' target, the subscriptions' INVOICES and INVOICE_CHARGES, the customers' CUSTOMER_REFERENCES.
 */
@Module({
  // RateLimitModule: the hosted page's per-token and per-IP guard (@HostedPage) counts with it.
  imports: [EventsModule, CustomersModule, CatalogModule, PaymentsModule, NotificationsModule, RateLimitModule, PortsModule],
  controllers: [InvoicesController, InvoicePaymentsController, HostedPayController, RedirectDomainsController],
  providers: [
    InvoicesRepository, InvoiceLinksService, InvoiceRecordsService, InvoicesService, InvoiceSettlementService,
    HostedInvoicesService, HostedCardAttempts, HostedPayService, InvoiceCustomerReferences, PayLinkTokensRetention,
    RedirectDomainsRepository, RedirectDomainsService,
    { provide: PAYMENT_TARGETS.invoice, useExisting: InvoiceSettlementService },
    { provide: INVOICES, useExisting: InvoicesService },
    { provide: INVOICE_CHARGES, useExisting: InvoiceSettlementService },
    { provide: CUSTOMER_REFERENCES, useExisting: InvoiceCustomerReferences },
    { provide: DOMAIN_INVOICING, useClass: DomainInvoicingAdapter },
  ],
  exports: [INVOICES, INVOICE_CHARGES, DOMAIN_INVOICING],
})
export class BillingModule {}

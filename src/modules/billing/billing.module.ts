import { Module, type OnModuleInit } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PaymentTargets } from '../payments/payment-targets';
import { PaymentsModule } from '../payments/payments.module';
import { RateLimitModule } from '../../platform/rate-limit/rate-limit.module';
import { DOMAIN_INVOICING } from '../domains/domain-invoicing.port';
import { DomainInvoicingAdapter } from './domain-invoicing.adapter';
import { HostedCardAttempts } from './hosted-card-attempts';
import { HostedInvoicesService } from './hosted-invoices.service';
import { InvoiceCustomerReferences } from './invoice-customer-references';
import { HostedPayController } from './hosted-pay.controller';
import { HostedPayService } from './hosted-pay.service';
import { InvoiceCreationService } from './invoice-creation.service';
import { InvoiceLinksService } from './invoice-links.service';
import { InvoiceRecordsService } from './invoice-records.service';
import { InvoiceSettlementService } from './invoice-settlement.service';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { PayLinkTokensRetention } from './pay-link-tokens.retention';

/**
 * Billing: invoices (numbers, totals, the status machine, payment and refunds through payments,
 * the invoice e-mail) and the hosted invoice page `/pay/{token}`. Registers the 'invoice' payment
 * target; other modules use InvoicesService only.
 */
@Module({
  // RateLimitModule: the hosted page's per-token and per-IP guard (@HostedPage) counts with it.
  imports: [EventsModule, CustomersModule, CatalogModule, PaymentsModule, NotificationsModule, RateLimitModule],
  controllers: [InvoicesController, HostedPayController],
  providers: [
    InvoicesRepository, InvoiceLinksService, InvoiceRecordsService, InvoiceCreationService, InvoiceSettlementService,
    HostedInvoicesService, InvoicesService, HostedCardAttempts, HostedPayService, InvoiceCustomerReferences, PayLinkTokensRetention,
    { provide: DOMAIN_INVOICING, useClass: DomainInvoicingAdapter },
  ],
  exports: [InvoicesService, InvoiceCustomerReferences, DOMAIN_INVOICING],
})
export class BillingModule implements OnModuleInit {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly paymentTargets: PaymentTargets,
  ) {}

  onModuleInit(): void {
    this.paymentTargets.register('invoice', {
      lockPayable: (ctx, invoiceId, currency) => this.invoices.lockPayable(ctx, invoiceId, currency),
      lock: (ctx, invoiceId) => this.invoices.lockForPayment(ctx, invoiceId),
      onPaymentChanged: (ctx, invoiceId, summary, failure) => this.invoices.onPaymentChanged(ctx, invoiceId, summary, failure),
    });
  }
}

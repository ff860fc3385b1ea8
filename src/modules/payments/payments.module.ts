import { Module } from '@nestjs/common';
import { PortsModule } from '../../platform/ports/ports.module';
import { INVOICE_PAYMENTS, type InvoicePayments } from '../billing/payments.port';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { ORDER_PAYMENTS, type OrderPayments } from '../orders/payments.port';
import { CustomerPaymentMethodsController } from './customer-payment-methods.controller';
import { CustomerPaymentMethodsService } from './customer-payment-methods.service';
import { HostedCheckoutService } from './hosted-checkout.service';
import { OfflinePaymentsService } from './offline-payments.service';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentIntentsService } from './payment-intents.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentProcessingService } from './payment-processing.service';
import { PaymentReconciliationService } from './payment-reconciliation.service';
import { PaymentRefundsService } from './payment-refunds.service';
import { PaymentTargets } from './payment-targets';
import { DisputesController, PaymentsController, TransactionsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentProviders } from './providers/payment-providers';
import { SandboxProcessorRepository } from './providers/sandbox-processor.repository';
import { STRIPE_CONTROLLERS, STRIPE_PROVIDERS } from './providers/stripe/stripe.wiring';
import { TestPaymentProvider } from './providers/test-payment-provider';
import { SavedPaymentMethodsRepository } from './saved-payment-methods.repository';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

/** Billing's INVOICE_PAYMENTS port, each method bound to the payments service that owns the rule. */
function invoicePayments(intents: PaymentIntentsService, refunds: PaymentRefundsService, ledger: PaymentLedgerService, providers: PaymentProviders): InvoicePayments {
  return {
    chargeCard: async (ctx, invoiceId, { customerId, amount, currency, card, paymentMethodId }) =>
      void (await intents.chargeTarget(ctx, 'invoice', invoiceId, { amount, currency, customer_id: customerId, payment_method: 'card', card, payment_method_id: paymentMethodId })),
    chargeSavedMethod: async (ctx, invoiceId, charge) => void (await intents.chargeSavedMethod(ctx, 'invoice', invoiceId, charge)),
    refund: async (ctx, invoiceId, amount, reason) => void (await refunds.refundTarget(ctx, 'invoice', invoiceId, reason, amount, true)),
    summaryOf: (ctx, invoiceId) => ledger.summaryOf(ctx, 'invoice', invoiceId),
    canPayOnline: (ctx) => providers.isAvailable(ctx),
  };
}

/** Orders' ORDER_PAYMENTS port, likewise. */
function orderPayments(refunds: PaymentRefundsService, ledger: PaymentLedgerService): OrderPayments {
  return {
    summaryOf: (ctx, orderId) => ledger.summaryOf(ctx, 'order', orderId),
    refundAll: (ctx, orderId, reason) => refunds.refundTarget(ctx, 'order', orderId, reason),
  };
}

/**
 * Payment intents behind a provider interface (the sandbox in test mode, an adapter bound to
 * LIVE_PAYMENT_PROVIDER and selected by PAYMENT_PROVIDER in live mode), refunds, disputes and the
 * transactions ledger. Pays what orders and billing bind to its PAYMENT_TARGETS port, and binds
 * the ports they declared for what they need of it (ORDER_PAYMENTS, INVOICE_PAYMENTS). The
 * processor is only called outside transactions; `payments:reconcile` settles what a crash left.
 */
@Module({
  imports: [EventsModule, CustomersModule, PortsModule],
  controllers: [DisputesController, PaymentsController, TransactionsController, CustomerPaymentMethodsController, ...STRIPE_CONTROLLERS],
  providers: [
    PaymentTargets, PaymentsRepository, SandboxProcessorRepository, TestPaymentProvider, PaymentProviders,
    PaymentLedgerService, SavedPaymentMethodsService, PaymentDisputesService, PaymentProcessingService, PaymentRefundsService, PaymentIntentsService,
    PaymentReconciliationService, OfflinePaymentsService, HostedCheckoutService,
    SavedPaymentMethodsRepository, CustomerPaymentMethodsService, ...STRIPE_PROVIDERS,
    { provide: INVOICE_PAYMENTS, inject: [PaymentIntentsService, PaymentRefundsService, PaymentLedgerService, PaymentProviders], useFactory: invoicePayments },
    { provide: ORDER_PAYMENTS, inject: [PaymentRefundsService, PaymentLedgerService], useFactory: orderPayments },
  ],
  exports: [INVOICE_PAYMENTS, ORDER_PAYMENTS, OfflinePaymentsService, HostedCheckoutService],
})
export class PaymentsModule {}

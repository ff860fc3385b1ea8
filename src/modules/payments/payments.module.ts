import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { EventsModule } from '../events/events.module';
import { PaymentDisputesService } from './payment-disputes.service';
import { PaymentIntentsService } from './payment-intents.service';
import { PaymentLedgerService } from './payment-ledger.service';
import { PaymentProcessingService } from './payment-processing.service';
import { PaymentReconciliationService } from './payment-reconciliation.service';
import { PaymentRefundsService } from './payment-refunds.service';
import { PaymentTargets } from './payment-targets';
import { DisputesController, PaymentsController, TransactionsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { PaymentProviders } from './providers/payment-providers';
import { SandboxProcessorRepository } from './providers/sandbox-processor.repository';
import { TestPaymentProvider } from './providers/test-payment-provider';
import { SavedPaymentMethodsService } from './saved-payment-methods.service';

/**
 * Payment intents behind a provider interface (the sandbox in test mode, an adapter selected by
 * PAYMENT_PROVIDER in live mode), refunds, disputes and the transactions ledger. Orders and
 * invoices register in PaymentTargets and call PaymentsService.chargeTarget / refundTarget.
 * The processor is only called outside transactions; `payments:reconcile` settles what a crash left.
 */
@Module({
  imports: [EventsModule, CustomersModule],
  controllers: [DisputesController, PaymentsController, TransactionsController],
  providers: [
    PaymentTargets, PaymentsRepository, SandboxProcessorRepository, TestPaymentProvider, PaymentProviders,
    PaymentLedgerService, SavedPaymentMethodsService, PaymentDisputesService, PaymentProcessingService, PaymentRefundsService, PaymentIntentsService,
    PaymentReconciliationService, PaymentsService,
  ],
  exports: [PaymentTargets, PaymentsService, PaymentProviders],
})
export class PaymentsModule {}

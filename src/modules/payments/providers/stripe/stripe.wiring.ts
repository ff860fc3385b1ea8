import { LIVE_PAYMENT_PROVIDER } from '../payment-provider.port';
import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../config/config';
import { STRIPE_CLIENT, createStripeClient } from './stripe-client';
import { StripeCheckoutReconciler } from './stripe-checkout-reconciler';
import { StripeEventReconciler } from './stripe-event-reconciler';
import { StripePaymentProvider } from './stripe-payment-provider';
import { StripeRecordsRepository } from './stripe-records.repository';
import { StripeWebhooksController } from './stripe-webhooks.controller';
import { StripeWebhooksService } from './stripe-webhooks.service';

/** The Stripe adapter's providers, for PaymentsModule (it registers itself as the live provider when PAYMENT_PROVIDER=stripe). */
export const STRIPE_PROVIDERS: Provider[] = [
  { provide: STRIPE_CLIENT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createStripeClient(config) },
  StripeRecordsRepository,
  StripePaymentProvider,
  // PaymentProviders picks it in live mode when PAYMENT_PROVIDER=stripe.
  { provide: LIVE_PAYMENT_PROVIDER, useExisting: StripePaymentProvider },
  StripeEventReconciler,
  StripeCheckoutReconciler,
  StripeWebhooksService,
];

export const STRIPE_CONTROLLERS = [StripeWebhooksController];

import type { Type } from '@nestjs/common';
import { AnalyticsModule } from './modules/analytics/analytics.module';
import { BillingModule } from './modules/billing/billing.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { CustomersModule } from './modules/customers/customers.module';
import { DomainsModule } from './modules/domains/domains.module';
import { EventsModule } from './modules/events/events.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';
import { IdentityModule } from './modules/identity/identity.module';
import { InventoryModule } from './modules/inventory/inventory.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OrdersModule } from './modules/orders/orders.module';
import { PaymentsModule } from './modules/payments/payments.module';
import { SubscriptionsModule } from './modules/subscriptions/subscriptions.module';
import { RetentionModule } from './modules/retention/retention.module';
import { TicketsModule } from './modules/tickets/tickets.module';
import { ShippingModule } from './modules/shipping/shipping.module';
import { OAuthModule } from './modules/oauth/oauth.module';
import { SandboxModule } from './modules/sandbox/sandbox.module';

/** The domain modules, shared by the API (controllers mounted) and the worker (job handlers only). */
export const DOMAIN_MODULES: Type<unknown>[] = [IdentityModule, EventsModule, WebhooksModule, CustomersModule, CatalogModule, InventoryModule, PaymentsModule, OrdersModule, NotificationsModule, BillingModule, SubscriptionsModule, DomainsModule, RetentionModule, TicketsModule, ShippingModule, OAuthModule, AnalyticsModule, SandboxModule];

/**
 * Every TypeORM entity, for the data source and the migrations check. A module registers its own
 * entities here and nowhere else; other modules still reach them only through that module's service.
 */
import { ProductEntity } from '../modules/catalog/entities/product.entity';
import { TierEntity } from '../modules/catalog/entities/tier.entity';
import { VariantEntity } from '../modules/catalog/entities/variant.entity';
import { InvoiceCounterEntity, InvoiceEntity, InvoiceLineEntity, InvoicePageTokenEntity } from '../modules/billing/entities/invoice.entity';
import { RedirectDomainsEntity } from '../modules/billing/entities/redirect-domains.entity';
import { CustomerAddressEntity } from '../modules/customers/entities/customer-address.entity';
import { CustomerEntity } from '../modules/customers/entities/customer.entity';
import { EventEntity } from '../modules/events/entities/event.entity';
import { WebhookAttemptEntity } from '../modules/webhooks/entities/webhook-attempt.entity';
import { WebhookDeliveryEntity } from '../modules/webhooks/entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../modules/webhooks/entities/webhook-endpoint.entity';
import { ApiKeyEntity } from '../modules/identity/entities/api-key.entity';
import { RefreshTokenEntity } from '../modules/identity/entities/refresh-token.entity';
import { PlanEntity } from '../modules/identity/entities/plan.entity';
import { TenantEntity } from '../modules/identity/entities/tenant.entity';
import { UserEntity } from '../modules/identity/entities/user.entity';
import { LocationEntity } from '../modules/inventory/entities/location.entity';
import { StockAlertEntity } from '../modules/inventory/entities/stock-alert.entity';
import { StockLevelEntity } from '../modules/inventory/entities/stock-level.entity';
import { StockMovementEntity } from '../modules/inventory/entities/stock-movement.entity';
import { OutboundEmailEntity } from '../modules/notifications/entities/outbound-email.entity';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity } from '../modules/orders/entities/order.entity';
import { IdempotencyKeyEntity } from '../platform/idempotency/idempotency-key.entity';
import { DisputeEntity } from '../modules/payments/entities/dispute.entity';
import { PaymentIntentEntity } from '../modules/payments/entities/payment-intent.entity';
import { PaymentMethodEntity } from '../modules/payments/entities/payment-method.entity';
import { RefundEntity } from '../modules/payments/entities/refund.entity';
import { TransactionEntity } from '../modules/payments/entities/transaction.entity';
import { SandboxProcessorCallEntity } from '../modules/payments/entities/sandbox-call.entity';
import { StripeLinkEntity, StripeWebhookEventEntity } from '../modules/payments/providers/stripe/stripe-records.entity';
import { CheckoutLinkEntity, ServiceEntity, ServicePeriodEntity } from '../modules/subscriptions/entities/service.entity';
import { OAuthClientEntity } from '../modules/oauth/entities/oauth-client.entity';
import { OAuthCodeEntity } from '../modules/oauth/entities/oauth-code.entity';
import { OAuthGrantEntity } from '../modules/oauth/entities/oauth-grant.entity';
import { OAuthTokenEntity } from '../modules/oauth/entities/oauth-token.entity';
import { AnalyticsOrderFactEntity } from '../modules/analytics/entities/analytics-order-fact.entity';
import {
  AnalyticsCustomerCohortEntity, AnalyticsCustomerGeographyEntity, AnalyticsCustomerRecencyEntity, AnalyticsCustomerReturnsEntity,
} from '../modules/analytics/entities/analytics-customer-rollups.entity';
import { AnalyticsProductPeriodEntity, AnalyticsRegionPeriodEntity, AnalyticsSalesPeriodEntity } from '../modules/analytics/entities/analytics-period-rollups.entity';
import { AnalyticsCustomerTotalsEntity, AnalyticsProductHourlyEntity, AnalyticsRegionHourlyEntity, AnalyticsSalesHourlyEntity } from '../modules/analytics/entities/analytics-rollups.entity';
import { TicketDepartmentEntity, TicketEntity, TicketMessageEntity } from '../modules/tickets/entities/ticket.entity';
import { DomainEntity, TldPriceEntity } from '../modules/domains/entities/domain.entity';
import { ShipmentEntity, ShipmentEventEntity } from '../modules/shipping/entities/shipment.entity';
import { ShippingRateQuoteEntity } from '../modules/shipping/entities/shipping-rate-quote.entity';
import { ShippingSettingsEntity } from '../modules/shipping/entities/shipping-settings.entity';
import { ShippingZoneEntity } from '../modules/shipping/entities/shipping-zone.entity';

/** Every entity class the data source maps (TypeORM takes the classes themselves). */
export const ENTITIES: (abstract new (...args: never[]) => object)[] = [
  TenantEntity,
  PlanEntity,
  UserEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  EventEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  CustomerEntity,
  CustomerAddressEntity,
  ProductEntity,
  VariantEntity,
  TierEntity,
  LocationEntity,
  StockLevelEntity,
  StockMovementEntity,
  StockAlertEntity,
  IdempotencyKeyEntity,
  OutboundEmailEntity,
  RedirectDomainsEntity,
  OrderEntity,
  OrderLineEntity,
  OrderStatusHistoryEntity,
  PaymentIntentEntity,
  RefundEntity,
  DisputeEntity,
  TransactionEntity,
  PaymentMethodEntity,
  SandboxProcessorCallEntity,
  StripeLinkEntity,
  StripeWebhookEventEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoiceCounterEntity,
  InvoicePageTokenEntity,
  ServiceEntity,
  ServicePeriodEntity,
  CheckoutLinkEntity,
  TicketEntity,
  TicketMessageEntity,
  TicketDepartmentEntity,
  DomainEntity,
  TldPriceEntity,
  ShippingZoneEntity,
  ShippingSettingsEntity,
  ShippingRateQuoteEntity,
  ShipmentEntity,
  ShipmentEventEntity,
  OAuthClientEntity,
  OAuthGrantEntity,
  OAuthCodeEntity,
  OAuthTokenEntity,
  AnalyticsOrderFactEntity,
  AnalyticsSalesHourlyEntity,
  AnalyticsProductHourlyEntity,
  AnalyticsRegionHourlyEntity,
  AnalyticsCustomerTotalsEntity,
  AnalyticsCustomerCohortEntity,
  AnalyticsCustomerGeographyEntity,
  AnalyticsCustomerRecencyEntity,
  AnalyticsCustomerReturnsEntity,
  AnalyticsSalesPeriodEntity,
  AnalyticsProductPeriodEntity,
  AnalyticsRegionPeriodEntity,
];

/**
 * Every TypeORM entity, for the data source and the migrations check. A module registers its own
 * entities here and nowhere else; other modules still reach them only through that module's service.
 */
import { ProductEntity } from '../modules/catalog/product.entity';
import { TierEntity } from '../modules/catalog/tier.entity';
import { VariantEntity } from '../modules/catalog/variant.entity';
import { InvoiceCounterEntity, InvoiceEntity, InvoiceLineEntity, InvoicePageTokenEntity } from '../modules/billing/entities/invoice.entity';
import { CustomerAddressEntity } from '../modules/customers/entities/customer-address.entity';
import { CustomerEntity } from '../modules/customers/entities/customer.entity';
import { EventEntity } from '../modules/events/event.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookEndpointEntity } from '../modules/webhooks/webhook.entities';
import { ApiKeyEntity } from '../modules/identity/entities/api-key.entity';
import { RefreshTokenEntity } from '../modules/identity/entities/refresh-token.entity';
import { TenantEntity } from '../modules/identity/entities/tenant.entity';
import { UserEntity } from '../modules/identity/entities/user.entity';
import { LocationEntity } from '../modules/inventory/entities/location.entity';
import { StockAlertEntity } from '../modules/inventory/entities/stock-alert.entity';
import { StockLevelEntity } from '../modules/inventory/entities/stock-level.entity';
import { StockMovementEntity } from '../modules/inventory/entities/stock-movement.entity';
import { OutboundEmailEntity } from '../modules/notifications/outbound-email.entity';
import { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity } from '../modules/orders/order.entity';
import { IdempotencyKeyEntity } from '../platform/idempotency/idempotency-key.entity';
import { DisputeEntity } from '../modules/payments/entities/dispute.entity';
import { PaymentIntentEntity } from '../modules/payments/entities/payment-intent.entity';
import { PaymentMethodEntity } from '../modules/payments/entities/payment-method.entity';
import { RefundEntity } from '../modules/payments/entities/refund.entity';
import { TransactionEntity } from '../modules/payments/entities/transaction.entity';
import { SandboxProcessorCallEntity } from '../modules/payments/providers/sandbox-call.entity';
import { CheckoutLinkEntity, ServiceEntity, ServicePeriodEntity } from '../modules/subscriptions/entities/service.entity';
import { DomainEntity, TldPriceEntity } from '../modules/domains/entities/domain.entity';

/** Every entity class the data source maps (TypeORM takes the classes themselves). */
export const ENTITIES: (abstract new (...args: never[]) => object)[] = [
  TenantEntity,
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
  OrderEntity,
  OrderLineEntity,
  OrderStatusHistoryEntity,
  PaymentIntentEntity,
  RefundEntity,
  DisputeEntity,
  TransactionEntity,
  PaymentMethodEntity,
  SandboxProcessorCallEntity,
  InvoiceEntity,
  InvoiceLineEntity,
  InvoiceCounterEntity,
  InvoicePageTokenEntity,
  ServiceEntity,
  ServicePeriodEntity,
  CheckoutLinkEntity,
  DomainEntity,
  TldPriceEntity,
];

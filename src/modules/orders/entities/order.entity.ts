import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CreatedAt, IdColumn, ModeColumn, MoneyColumn, TenantColumn, UpdatedAt } from '../../../database/columns';
import type { Mode } from '../../../platform/context/request-context';
import type { Schemas } from '../../../platform/openapi/schemas';
import type { FulfillmentStatus, OrderStatus, PaymentStatus, StockState } from '../order-status';

/**
 * An order of a tenant, per mode. Money columns are integer minor units in `currency`; `total =
 * subtotal + shipping_total + tax_total` (no tax unless configured). `status` moves only by a
 * guarded UPDATE (`WHERE status = <expected>`), so two concurrent transitions cannot both win.
 * `stock_state` says what the order's stock reservation (reference = order id) is doing.
 */
@Entity('orders')
// The last line of defence against overpayment: payments lock the order and count what is owed first.
@Check('chk_orders_amount_paid_within_total', '"amount_paid" <= "total"')
@Index('idx_orders_created', ['tenantId', 'mode', 'createdAt', 'id'])
@Index('idx_orders_updated', ['tenantId', 'mode', 'updatedAt', 'id'])
@Index('idx_orders_total', ['tenantId', 'mode', 'total', 'id'])
@Index('idx_orders_customer', ['tenantId', 'mode', 'customerId', 'createdAt'])
@Index('idx_orders_status', ['tenantId', 'mode', 'status', 'createdAt'])
export class OrderEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'customer_id', type: 'text' }) customerId: string;
  @Column({ type: 'text' }) status: OrderStatus;
  @Column({ name: 'payment_status', type: 'text' }) paymentStatus: PaymentStatus;
  @Column({ name: 'fulfillment_status', type: 'text' }) fulfillmentStatus: FulfillmentStatus;
  @Column({ name: 'stock_state', type: 'text' }) stockState: StockState;
  @Column({ type: 'text' }) currency: string;
  @MoneyColumn() subtotal: number;
  @MoneyColumn({ name: 'shipping_total' }) shippingTotal: number;
  @MoneyColumn({ name: 'tax_total' }) taxTotal: number;
  @MoneyColumn() total: number;
  @MoneyColumn({ name: 'amount_paid' }) amountPaid: number;
  @MoneyColumn({ name: 'amount_refunded' }) amountRefunded: number;
  /** The addresses as they were when the order was placed (copies: later edits of the customer's book do not change them). */
  @Column({ name: 'shipping_address', type: 'jsonb' }) shippingAddress: Schemas['OrderAddressSnapshot'];
  @Column({ name: 'billing_address', type: 'jsonb' }) billingAddress: Schemas['OrderAddressSnapshot'];
  @Column({ name: 'shipping_method', type: 'text', nullable: true }) shippingMethod: string | null;
  @Column({ name: 'payment_method', type: 'text', nullable: true }) paymentMethod: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason: string | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', precision: 3, nullable: true }) cancelledAt: Date | null;
  @CreatedAt() createdAt: Date;
  @UpdatedAt() updatedAt: Date;
}

/** One line of an order, priced from the catalog when the order was placed. */
@Entity('order_lines')
@Check('chk_order_lines_fulfilled_within_quantity', '"fulfilled_quantity" >= 0 AND "fulfilled_quantity" <= "quantity"')
@Index('idx_order_lines_order', ['orderId', 'position'])
export class OrderLineEntity {
  @IdColumn() id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  /** 0-based index of the line in the request's `items`. */
  @Column({ type: 'integer' }) position: number;
  @Column({ name: 'product_id', type: 'text' }) productId: string;
  @Column({ name: 'variant_id', type: 'text', nullable: true }) variantId: string | null;
  @Column({ type: 'text' }) sku: string;
  @Column({ type: 'text' }) name: string;
  @MoneyColumn({ name: 'unit_price' }) unitPrice: number;
  @Column({ type: 'integer' }) quantity: number;
  @MoneyColumn({ name: 'line_total' }) lineTotal: number;
  /** Units in shipments that were not cancelled; their stock is committed, the rest still reserved. */
  @Column({ name: 'fulfilled_quantity', type: 'integer', default: 0 }) fulfilledQuantity: number;
  @CreatedAt() createdAt: Date;
}

/** Every status an order took: who moved it, when, and why. The first row (from null) is its creation. */
@Entity('order_status_history')
@Index('idx_order_status_history_order', ['orderId', 'createdAt'])
export class OrderStatusHistoryEntity {
  /** Internal (not exposed): a UUID. */
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @TenantColumn() tenantId: string;
  @ModeColumn() mode: Mode;
  @Column({ name: 'order_id', type: 'text' }) orderId: string;
  @Column({ name: 'from_status', type: 'text', nullable: true }) fromStatus: OrderStatus | null;
  @Column({ name: 'to_status', type: 'text' }) toStatus: OrderStatus;
  /** `usr_…`, `key_…` or `system:<name>`. */
  @Column({ type: 'text' }) actor: string;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @CreatedAt() createdAt: Date;
}

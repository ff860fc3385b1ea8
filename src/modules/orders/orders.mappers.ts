import type { Schemas } from '../../platform/openapi/schemas';
import type { OrderEntity, OrderLineEntity, OrderStatusHistoryEntity } from './entities/order.entity';

/** Field by field, so a stored snapshot answers exactly the spec's shape. */
function toAddress(a: Schemas['OrderAddressSnapshot']): Schemas['OrderAddressSnapshot'] {
  return {
    first_name: a.first_name,
    last_name: a.last_name,
    company: a.company,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    region: a.region,
    postal_code: a.postal_code,
    country: a.country,
    phone: a.phone,
  };
}

export function toOrderLine(l: OrderLineEntity): Schemas['OrderLine'] {
  return {
    id: l.id,
    product_id: l.productId,
    variant_id: l.variantId,
    sku: l.sku,
    name: l.name,
    unit_price: l.unitPrice,
    quantity: l.quantity,
    line_total: l.lineTotal,
    fulfilled_quantity: l.fulfilledQuantity,
  };
}

export function toOrderStatusChange(h: OrderStatusHistoryEntity): Schemas['OrderStatusChange'] {
  return {
    from_status: h.fromStatus,
    to_status: h.toStatus,
    actor: h.actor,
    note: h.note,
    created_at: h.createdAt.toISOString(),
  };
}

/** The order with its lines (lists, events, and the base of the detail). */
export function toOrder(o: OrderEntity, lines: readonly OrderLineEntity[]): Schemas['Order'] {
  return {
    id: o.id,
    customer_id: o.customerId,
    status: o.status,
    payment_status: o.paymentStatus,
    fulfillment_status: o.fulfillmentStatus,
    currency: o.currency,
    subtotal: o.subtotal,
    shipping_total: o.shippingTotal,
    tax_total: o.taxTotal,
    total: o.total,
    amount_paid: o.amountPaid,
    amount_refunded: o.amountRefunded,
    items: lines.map(toOrderLine),
    shipping_address: toAddress(o.shippingAddress),
    billing_address: toAddress(o.billingAddress),
    shipping_method: o.shippingMethod,
    payment_method: o.paymentMethod,
    note: o.note,
    cancel_reason: o.cancelReason,
    cancelled_at: o.cancelledAt ? o.cancelledAt.toISOString() : null,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  };
}

/** `GET /orders/{id}`: the order and every status it took, oldest first. */
export function toOrderDetail(
  o: OrderEntity,
  lines: readonly OrderLineEntity[],
  history: readonly OrderStatusHistoryEntity[],
): Schemas['OrderDetail'] {
  return { ...toOrder(o, lines), status_history: history.map(toOrderStatusChange) };
}

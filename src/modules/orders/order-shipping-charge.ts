import type { RequestContext } from '../../platform/context/request-context';
import { ValidationError } from '../../platform/errors/domain-errors';
import type { Schemas } from '../../platform/openapi/schemas';
import type { OrderShippingPrices } from './order-shipping.port';

/**
 * What a new order pays for shipping and the method it records: a chosen quote
 * (`shipping_rate_id`), or `shipping_method` priced with `shipping_packages`; neither → no charge
 * and `shipping_method` stored as the free label it always was.
 */
export async function shippingChargeOf(
  prices: OrderShippingPrices,
  ctx: RequestContext,
  body: Schemas['CreateOrderRequest'],
  currency: string,
  subtotal: number,
): Promise<{ shippingTotal: number; shippingMethod: string | null }> {
  if (body.shipping_rate_id !== undefined && body.shipping_method !== undefined) {
    throw new ValidationError('Send shipping_rate_id or shipping_method, not both', [{ field: 'shipping_method', message: 'not with shipping_rate_id' }]);
  }
  if (body.shipping_packages !== undefined && body.shipping_method === undefined) {
    throw new ValidationError('shipping_packages needs shipping_method (<carrier>:<service>)', [{ field: 'shipping_method', message: 'required with shipping_packages' }]);
  }
  if (body.shipping_rate_id === undefined && body.shipping_packages === undefined) {
    return { shippingTotal: 0, shippingMethod: body.shipping_method ?? null };
  }
  const a = body.shipping_address;
  const charge = await prices.chargeFor(ctx, {
    rateId: body.shipping_rate_id,
    method: body.shipping_method,
    packages: body.shipping_packages,
    destination: { country: a.country, region: a.region ?? null, postal_code: a.postal_code ?? null },
    currency,
    subtotal,
  });
  return { shippingTotal: charge.amount, shippingMethod: charge.method };
}

import type { RequestContext } from '../../platform/context/request-context';
import type { Schemas } from '../../platform/openapi/schemas';

export interface OrderShippingRequest {
  /** A `rate_…` quote of `POST /shipping/rates`. */
  rateId?: string;
  /** `<carrier>:<service>`, priced with `packages`. */
  method?: string;
  packages?: Schemas['PackageInput'][];
  destination: { country: string; region: string | null; postal_code: string | null };
  currency: string;
  subtotal: number;
}

export interface OrderShippingCharge {
  /** `shipping_total`: 0 when the subtotal reaches the tenant's free-shipping threshold. */
  amount: number;
  /** `<carrier>:<service>`, stored as the order's `shipping_method`. */
  method: string;
}

/**
 * The orders module's port to shipping prices: ShippingModule binds it (`useExisting:
 * ShippingRatesService`); shipping imports orders, so orders looks the binding up (PortBindings). Called inside the order's
 * transaction; a rate or method that cannot price this order → 422 naming the request field.
 */
export interface OrderShippingPrices {
  chargeFor(ctx: RequestContext, request: OrderShippingRequest): Promise<OrderShippingCharge>;
}

/** Injection token: the `OrderShippingPrices` bound for the orders module. */
export const ORDER_SHIPPING_PRICES = Symbol('ORDER_SHIPPING_PRICES');

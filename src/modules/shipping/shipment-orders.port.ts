import type { RequestContext } from '../../platform/context/request-context';

/** An order line as shipping sees it (a plain read model, not the orders module's entity). */
export interface ShipmentOrderLine {
  id: string;
  productId: string;
  variantId: string | null;
  sku: string;
  name: string;
  quantity: number;
  /** Units already in shipments that were not cancelled. */
  fulfilledQuantity: number;
}

export interface ShipmentOrder {
  id: string;
  customerId: string;
  status: string;
  currency: string;
  shippingAddress: {
    first_name: string | null; last_name: string | null; company: string | null; line1: string; line2: string | null;
    city: string; region: string | null; postal_code: string | null; country: string; phone: string | null;
  };
  lines: ShipmentOrderLine[];
}

/** Units of one order line (by `line_…` id). */
export interface LineUnits {
  lineId: string;
  quantity: number;
}

/** Where committed stock came from, so a cancelled shipment puts it back at the same locations. */
export interface CommittedStock {
  productId: string;
  variantId: string | null;
  locationId: string;
  quantity: number;
}

/**
 * The shipping module's port to orders: the orders module owns the lines, their reservation and the
 * order's statuses, and binds this (OrdersModule → `SHIPMENT_ORDERS`). Every method joins the
 * caller's transaction.
 */
export interface ShipmentOrders {
  /** The order (404 when missing or another tenant's). */
  get(ctx: RequestContext, orderId: string): Promise<ShipmentOrder>;
  /**
   * Counts these units shipped and commits exactly their reserved stock; the order's
   * fulfillment_status becomes `partial` or `fulfilled`. Only a confirmed or processing order whose
   * stock is still reserved (409); more units than a line has left → 409 naming `items[i].quantity`;
   * an unknown line → 422 naming `items[i].line_id`.
   */
  ship(ctx: RequestContext, orderId: string, items: LineUnits[], shipmentId: string): Promise<CommittedStock[]>;
  /** Undoes `ship` for a cancelled shipment: the units are unshipped and their stock reserved again (409 unless pending, confirmed or processing). */
  unship(ctx: RequestContext, orderId: string, items: LineUnits[], stock: CommittedStock[], shipmentId: string): Promise<void>;
  /**
   * A shipment of the order moved: `in_transit` moves a fully shipped order to `shipped`;
   * `delivered` (sent once every live shipment of the order is delivered) moves a fully shipped
   * order to `delivered`. Otherwise nothing changes.
   */
  onShipmentProgress(ctx: RequestContext, orderId: string, milestone: 'in_transit' | 'delivered'): Promise<void>;
}

/** Injection token: the `ShipmentOrders` the orders module binds. */
export const SHIPMENT_ORDERS = Symbol('SHIPMENT_ORDERS');

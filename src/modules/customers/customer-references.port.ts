import type { RequestContext } from '../../platform/context/request-context';

/**
 * The customers module's port for "who still depends on this customer". Customers may not import
 * orders, billing or subscriptions (they import customers), so each of those modules binds an
 * implementation that counts its own blocking rows through its own repository, in its providers:
 * `{ provide: CUSTOMER_REFERENCES, useExisting: InvoiceCustomerReferences }`. Customers asks every binding.
 */
export interface CustomerBlocker {
  /** What blocks, as the API names it in `error.details[].field`: `services`, `invoices`, `orders`. */
  field: string;
  count: number;
  /** Singular and plural phrases for the message: "active service" / "active services". */
  one: string;
  many: string;
}

export interface CustomerReferences {
  /**
   * Called inside the deleting transaction, after the customer row was locked FOR UPDATE: the rows
   * of this module that must be settled before the customer may go (empty when none).
   */
  blockersOf(ctx: RequestContext, customerId: string): Promise<CustomerBlocker[]>;
}

/** Bound once per module that references customers. */
export const CUSTOMER_REFERENCES = Symbol('CUSTOMER_REFERENCES');

/** One blocker when `count > 0`, else none: the common shape of an implementation's answer. */
export function blockerIfAny(field: string, count: number, one: string, many: string): CustomerBlocker[] {
  return count > 0 ? [{ field, count, one, many }] : [];
}

/** "2 active services" / "1 unpaid invoice". */
export function describeBlocker(b: CustomerBlocker): string {
  return `${b.count} ${b.count === 1 ? b.one : b.many}`;
}

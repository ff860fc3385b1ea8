import type { RequestContext } from '../../platform/context/request-context';

/**
 * Identity's port for "does this customer record exist": a customer login may only be linked to
 * one that does. Identity cannot import customers (customers imports identity), so CustomersModule
 * binds it: `{ provide: CUSTOMER_DIRECTORY, useExisting: CustomersService }`. With no binding
 * (a module set without customers) there is nothing to check against, and any id is taken.
 */
export interface CustomerDirectory {
  /** Whether the customer exists in ctx's tenant and mode. */
  exists(ctx: RequestContext, customerId: string): Promise<boolean>;
}

export const CUSTOMER_DIRECTORY = Symbol('CUSTOMER_DIRECTORY');

import type { RequestContext } from '../../platform/context/request-context';

/**
 * Catalog's port for a new variant's `inventory`: units received at the default location, inside
 * the caller's transaction. Catalog cannot import inventory (inventory imports catalog), so
 * InventoryModule binds it; catalog looks it up through PortBindings.
 */
export interface InitialStock {
  receiveInitialStock(ctx: RequestContext, productId: string, variantId: string, quantity: number): Promise<void>;
}

export const INITIAL_STOCK = Symbol('INITIAL_STOCK');

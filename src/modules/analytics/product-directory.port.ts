import type { RequestContext } from '../../platform/context/request-context';

/** What the reports show about a product now (name, SKU, categories, units in stock). */
export interface AnalyticsProduct {
  id: string;
  name: string;
  sku: string;
  categories: string[];
  stock: number;
}

/**
 * Analytics' port to the catalog, for product names, categories and stock in reports.
 * CatalogModule binds it: `{ provide: ANALYTICS_PRODUCT_DIRECTORY, useExisting: … }`.
 */
export interface AnalyticsProductDirectory {
  /** The products of ctx with these ids (missing ones are left out). */
  describe(ctx: RequestContext, productIds: readonly string[]): Promise<Map<string, AnalyticsProduct>>;
  /** Ids of ctx's products in this category. */
  inCategory(ctx: RequestContext, category: string): Promise<string[]>;
}

export const ANALYTICS_PRODUCT_DIRECTORY = Symbol('ANALYTICS_PRODUCT_DIRECTORY');

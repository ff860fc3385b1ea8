import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../../platform/context/request-context';
import type { AnalyticsProduct, AnalyticsProductDirectory } from '../analytics/product-directory.port';
import { ProductsRepository } from './products.repository';

/** Binds analytics' ANALYTICS_PRODUCT_DIRECTORY: products as plain read models. */
@Injectable()
export class ProductAnalyticsDirectory implements AnalyticsProductDirectory {
  constructor(private readonly repo: ProductsRepository) {}

  async describe(ctx: RequestContext, productIds: readonly string[]): Promise<Map<string, AnalyticsProduct>> {
    const products = await this.repo.describeMany(ctx, productIds);
    return new Map(products.map((p) => [p.id, { id: p.id, name: p.name, sku: p.sku, categories: [...p.categories], stock: p.stock }]));
  }

  inCategory(ctx: RequestContext, category: string): Promise<string[]> {
    return this.repo.idsInCategory(ctx, category);
  }
}

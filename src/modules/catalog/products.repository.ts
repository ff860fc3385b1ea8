import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TenantScopedRepository } from '../../database/tenant-scoped.repository';
import type { RequestContext } from '../../platform/context/request-context';
import type { ValueKind } from '../../platform/pagination/cursor-column';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { paginateSql, type SqlSortSpec } from '../../platform/pagination/paginate-sql';
import { ProductEntity, type ProductStatus, type ProductType } from './entities/product.entity';
import { TierEntity } from './entities/tier.entity';
import { VariantEntity } from './entities/variant.entity';
import { PRODUCT_COLUMNS, productOfRow, VARIANT_COLUMNS, variantOfRow, type VariantRow } from './product-rows';

export const PRODUCT_SORTS = ['name', 'price', 'stock', 'created_at', 'updated_at'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

export interface ProductFilters {
  search?: string;
  category?: string;
  status?: ProductStatus;
  active?: boolean;
  type?: ProductType;
}

/** Sort fields → NOT NULL columns, what they hold (for the cursor check) and the entity value the next cursor carries. */
const SORTS: Record<ProductSort, { column: string; kind: ValueKind; valueOf: (p: ProductEntity) => string | number | Date }> = {
  name: { column: 'p.name', kind: 'text', valueOf: (p) => p.name },
  price: { column: 'p.price', kind: 'int8', valueOf: (p) => p.price },
  stock: { column: 'p.stock', kind: 'int8', valueOf: (p) => p.stock },
  created_at: { column: 'p.created_at', kind: 'timestamp', valueOf: (p) => p.createdAt },
  updated_at: { column: 'p.updated_at', kind: 'timestamp', valueOf: (p) => p.updatedAt },
};

/** The text the full-text index covers: name, description and SKU. */
const SEARCH_DOCUMENT = `to_tsvector('simple', name || ' ' || coalesce(description, '') || ' ' || sku)`;

/** Every query of the catalog; each one is scoped by `ctx.tenant` and `ctx.mode`. */
@Injectable()
export class ProductsRepository extends TenantScopedRepository {
  // --- products
  /** Inserts or updates a product and refreshes its search vector in the same transaction. */
  async saveProduct(ctx: RequestContext, product: Partial<ProductEntity>): Promise<ProductEntity> {
    const m = this.m(ctx);
    const saved = await m.save(ProductEntity, m.create(ProductEntity, { ...product, ...this.scope(ctx) }));
    await m.query(`UPDATE products SET search_vector = ${SEARCH_DOCUMENT} WHERE id = $1 AND tenant_id = $2 AND mode = $3`, [
      saved.id, ctx.tenant, ctx.mode,
    ]);
    return saved;
  }

  /**
   * stock += delta, guarded: never below zero (a CHECK says so too). Inventory calls it in the
   * transaction that changed the product's stock levels, after those levels were locked. False when
   * the guard refused, i.e. stock was out of step with the levels.
   */
  async shiftStock(ctx: RequestContext, id: string, delta: number): Promise<boolean> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `WITH changed AS (
         UPDATE products SET stock = stock + $4 WHERE tenant_id = $1 AND mode = $2 AND id = $3 AND stock + $4 >= 0 RETURNING id)
       SELECT id FROM changed`,
      [ctx.tenant, ctx.mode, id, delta],
    );
    return rows.length === 1;
  }

  findProduct(ctx: RequestContext, id: string): Promise<ProductEntity | null> {
    return this.m(ctx).findOneBy(ProductEntity, { id, ...this.scope(ctx) });
  }

  getProduct(ctx: RequestContext, id: string): Promise<ProductEntity> {
    return this.getOrThrow(ctx, ProductEntity, 'product', id);
  }

  /** Locks the product row for the rest of the transaction (variant and tier changes, updates). */
  findProductForUpdate(ctx: RequestContext, id: string): Promise<ProductEntity | null> {
    return this.m(ctx)
      .createQueryBuilder(ProductEntity, 'p')
      .setLock('pessimistic_write')
      .where('p.id = :id AND p.tenant_id = :tenant AND p.mode = :mode', { id, tenant: ctx.tenant, mode: ctx.mode })
      .getOne();
  }

  findProductBySku(ctx: RequestContext, sku: string): Promise<ProductEntity | null> {
    return this.m(ctx).findOneBy(ProductEntity, { sku, ...this.scope(ctx) });
  }

  findProductByLabel(ctx: RequestContext, labelName: string): Promise<ProductEntity | null> {
    return this.m(ctx).findOneBy(ProductEntity, { labelName, ...this.scope(ctx) });
  }

  /**
   * A page of products, with plain SQL: the hottest read of the API, where TypeORM's query building
   * and hydration cost more than the statements (issue 16); the same conditions, order and limits as
   * the query builder wrote.
   */
  listProducts(ctx: RequestContext, page: PageQuery, sort: { sort: ProductSort; order: SortOrder }, filters: ProductFilters): Promise<Page<ProductEntity>> {
    const params: unknown[] = [ctx.tenant, ctx.mode];
    const param = (value: unknown) => `$${params.push(value)}`;
    let where = 'p.tenant_id = $1 AND p.mode = $2';
    if (filters.search) {
      // Uses the GIN index on search_vector; an exact SKU uses the unique (tenant, mode, sku) index.
      const search = param(filters.search);
      where += ` AND (p.search_vector @@ plainto_tsquery('simple', ${search}) OR p.sku = ${search})`;
    }
    if (filters.category) where += ` AND p.categories @> ARRAY[${param(filters.category)}]::text[]`;
    if (filters.status) where += ` AND p.status = ${param(filters.status)}`;
    if (filters.active === true) where += ` AND p.status = 'active'`;
    if (filters.active === false) where += ` AND p.status <> 'active'`;
    if (filters.type) where += ` AND p.type = ${param(filters.type)}`;
    const spec: SqlSortSpec<ProductEntity> = {
      name: sort.sort, column: SORTS[sort.sort].column, kind: SORTS[sort.sort].kind, idColumn: 'p.id', order: sort.order,
      valueOf: SORTS[sort.sort].valueOf, idOf: (p) => p.id,
    };
    const list = { columns: PRODUCT_COLUMNS, fromWhere: `FROM products p WHERE ${where}`, params };
    return paginateSql(this.sql(ctx), list, page, spec, productOfRow);
  }

  /** Categories of non-archived products with how many products use each, by name. */
  async categoryCounts(ctx: RequestContext): Promise<{ name: string; product_count: number }[]> {
    const rows: { name: string; product_count: string }[] = await this.m(ctx).query(
      `SELECT c AS name, count(*) AS product_count
         FROM products p CROSS JOIN LATERAL unnest(p.categories) AS c
        WHERE p.tenant_id = $1 AND p.mode = $2 AND p.status <> 'archived'
        GROUP BY c ORDER BY c`,
      [ctx.tenant, ctx.mode],
    );
    return rows.map((r) => ({ name: r.name, product_count: Number(r.product_count) }));
  }

  /** Name, SKU, categories and stock of these products (analytics reports). */
  describeMany(ctx: RequestContext, ids: readonly string[]): Promise<ProductEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.m(ctx).find(ProductEntity, { where: { id: In([...ids]), ...this.scope(ctx) } });
  }

  /** Ids of the products in this category, archived ones included (their sales still count). */
  async idsInCategory(ctx: RequestContext, category: string): Promise<string[]> {
    const rows: { id: string }[] = await this.m(ctx).query(
      `SELECT id FROM products WHERE tenant_id = $1 AND mode = $2 AND $3 = ANY(categories)`,
      [ctx.tenant, ctx.mode, category],
    );
    return rows.map((r) => r.id);
  }

  // --- variants
  saveVariant(ctx: RequestContext, variant: Partial<VariantEntity>): Promise<VariantEntity> {
    const m = this.m(ctx);
    return m.save(VariantEntity, m.create(VariantEntity, { ...variant, ...this.scope(ctx) }));
  }

  getVariant(ctx: RequestContext, productId: string, id: string): Promise<VariantEntity> {
    return this.getOrThrow(ctx, VariantEntity, 'variant', id, { productId });
  }

  variantsOf(ctx: RequestContext, productId: string): Promise<VariantEntity[]> {
    return this.m(ctx).find(VariantEntity, { where: { productId, ...this.scope(ctx) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The variants of many products at once (a list page), grouped by product id; plain SQL, as the page. */
  async variantsOfMany(ctx: RequestContext, productIds: string[]): Promise<Map<string, VariantEntity[]>> {
    const byProduct = new Map<string, VariantEntity[]>();
    if (productIds.length === 0) return byProduct;
    const rows = await this.sql(ctx)<VariantRow>(
      `SELECT ${VARIANT_COLUMNS} FROM product_variants v
        WHERE v.tenant_id = $1 AND v.mode = $2 AND v.product_id = ANY($3::text[])
        ORDER BY v.created_at ASC, v.id ASC`,
      [ctx.tenant, ctx.mode, productIds],
    );
    for (const row of rows) {
      const variant = variantOfRow(row);
      const list = byProduct.get(variant.productId);
      if (list) list.push(variant);
      else byProduct.set(variant.productId, [variant]);
    }
    return byProduct;
  }

  async deleteVariant(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).delete(VariantEntity, { id, ...this.scope(ctx) });
  }

  // --- tiers
  saveTier(ctx: RequestContext, tier: Partial<TierEntity>): Promise<TierEntity> {
    const m = this.m(ctx);
    return m.save(TierEntity, m.create(TierEntity, { ...tier, ...this.scope(ctx) }));
  }

  getTier(ctx: RequestContext, productId: string, id: string): Promise<TierEntity> {
    return this.getOrThrow(ctx, TierEntity, 'tier', id, { productId });
  }

  tiersOf(ctx: RequestContext, productId: string): Promise<TierEntity[]> {
    return this.m(ctx).find(TierEntity, { where: { productId, ...this.scope(ctx) }, order: { price: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  }

  countTiers(ctx: RequestContext, productId: string): Promise<number> {
    return this.m(ctx).countBy(TierEntity, { productId, ...this.scope(ctx) });
  }

  async deleteTier(ctx: RequestContext, id: string): Promise<void> {
    await this.m(ctx).delete(TierEntity, { id, ...this.scope(ctx) });
  }
}

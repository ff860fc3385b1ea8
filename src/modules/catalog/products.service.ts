import { Injectable } from '@nestjs/common';
import { PortBindings } from '../../platform/ports/port-bindings';
import { INITIAL_STOCK, type InitialStock } from './initial-stock.port';
import { TransactionService } from '../../database/transaction.service';
import type { RequestContext } from '../../platform/context/request-context';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/errors/domain-errors';
import { isId, newId, parseIdOr404 } from '../../platform/ids/ids';
import type { Schemas } from '../../platform/openapi/schemas';
import { pageOfList, type ListKey } from '../../platform/pagination/list-page';
import type { Page } from '../../platform/pagination/page';
import type { PageQuery, SortOrder } from '../../platform/pagination/page-query';
import { EventsService } from '../events/events.service';
import { toProduct, toTier, toVariant } from './catalog.mappers';
import type { ProductEntity, ProductStatus } from './entities/product.entity';
import { ProductsRepository, type ProductFilters, type ProductSort } from './products.repository';
import type { TierEntity } from './entities/tier.entity';
import type { VariantEntity } from './entities/variant.entity';
import { violatedConstraint } from '../../platform/errors/unique-violation';

/** What another module (inventory, orders) needs to sell a product or one of its variants. */
export interface ProductForSale {
  id: string;
  sku: string;
  name: string;
  /** The product's price, minor units. */
  price: number;
  currency: string;
  status: ProductStatus;
  variantId: string | null;
  /** The variant's price override, when the variant has one. */
  variantPrice: number | null;
}

/** Unique indexes → the request field a 409 names. */
const UNIQUE_FIELDS: Record<string, { field: string; message: string }> = {
  uq_products_tenant_mode_sku: { field: 'sku', message: 'A product with this sku already exists' },
  uq_products_tenant_mode_label: { field: 'label_name', message: 'A product with this label_name already exists' },
  uq_product_variants_tenant_mode_sku: { field: 'sku', message: 'A variant with this sku already exists' },
  uq_product_tiers_product_label: { field: 'label_name', message: 'This product already has a tier with this label_name' },
};

/** Runs `work`; a unique-index violation becomes a 409 naming the field. */
async function conflictOnDuplicate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const constraint = violatedConstraint(err);
    if (constraint !== null) {
      const hit = UNIQUE_FIELDS[constraint];
      throw new ConflictError(hit?.message ?? 'A resource with these values already exists', hit?.field);
    }
    throw err;
  }
}

/** Tiers page cheapest first, ties by id (ids are time-ordered, so in creation order). */
const TIER_ORDER: ListKey<Schemas['ProductTier']> = { sort: 'price', valueOf: (t) => t.price, idOf: (t) => t.id };
/** Categories page by name; the name is the category's identity. */
const CATEGORY_ORDER: ListKey<Schemas['Category']> = { sort: 'name', valueOf: (c) => c.name, idOf: (c) => c.name };

/** Categories without blanks or repeats, in the order given. */
function cleanCategories(categories: string[]): string[] {
  return [...new Set(categories.map((c) => c.trim()).filter((c) => c.length > 0))];
}

@Injectable()
export class ProductsService {
  constructor(
    private readonly repo: ProductsRepository,
    private readonly tx: TransactionService,
    private readonly events: EventsService,
    private readonly bindings: PortBindings,
  ) {}

  // --- products
  async list(
    ctx: RequestContext,
    page: PageQuery,
    sort: { sort: ProductSort; order: SortOrder },
    filters: ProductFilters,
  ): Promise<Page<Schemas['Product']>> {
    return this.tx.read(ctx, async (readCtx) => {
      const products = await this.repo.listProducts(readCtx, page, sort, filters);
      const variants = await this.repo.variantsOfMany(readCtx, products.items.map((p) => p.id));
      return products.map((p) => toProduct(p, variants.get(p.id) ?? []));
    });
  }

  /** By id when the value is a product id, else by SKU. */
  /** The product whose `label_name` this is, or null. */
  async findByLabel(ctx: RequestContext, labelName: string): Promise<Schemas['Product'] | null> {
    return this.tx.read(ctx, async (readCtx) => {
      const product = await this.repo.findProductByLabel(readCtx, labelName);
      return product ? toProduct(product, await this.repo.variantsOf(readCtx, product.id)) : null;
    });
  }

  async get(ctx: RequestContext, idOrSku: string): Promise<Schemas['Product']> {
    return this.tx.read(ctx, async (readCtx) => {
      const product = isId(idOrSku, 'prod') ? await this.repo.findProduct(readCtx, idOrSku) : await this.repo.findProductBySku(readCtx, idOrSku);
      if (!product) throw new NotFoundError('product', idOrSku);
      return toProduct(product, await this.repo.variantsOf(readCtx, product.id));
    });
  }

  async create(ctx: RequestContext, body: Schemas['CreateProductRequest']): Promise<Schemas['Product']> {
    const product: Partial<ProductEntity> = {
      id: newId('prod'),
      sku: body.sku,
      name: body.name,
      description: body.description ?? null,
      price: body.price,
      currency: body.currency ?? 'usd',
      status: body.status ?? 'active',
      type: body.type ?? 'single',
      labelName: body.label_name ?? null,
      saasOnly: body.saas_only ?? false,
      categories: cleanCategories(body.categories ?? []),
      images: body.images ?? [],
      attributes: body.attributes ?? {},
      metadata: body.metadata ?? {},
      stock: 0,
    };
    assertDistinctSkus(body.variants ?? []);
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        let saved = await this.repo.saveProduct(txCtx, product);
        const variants: VariantEntity[] = [];
        for (const v of body.variants ?? []) variants.push(await this.repo.saveVariant(txCtx, variantFields(saved.id, v)));
        const stocked = await this.receiveInitialStock(txCtx, saved.id, variants, body.variants ?? []);
        if (stocked) saved = await this.findForUpdate(txCtx, saved.id);
        const result = toProduct(saved, variants);
        await this.events.record(txCtx, 'product.created', result);
        return result;
      }),
    );
  }

  /** `PATCH` and `PUT`: only the fields sent change. A product with tiers stays a subscription. */
  async update(ctx: RequestContext, id: string, body: Schemas['UpdateProductRequest']): Promise<Schemas['Product']> {
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        const product = await this.findForUpdate(txCtx, id);
        if (body.sku !== undefined) product.sku = body.sku;
        if (body.name !== undefined) product.name = body.name;
        if (body.description !== undefined) product.description = body.description;
        if (body.price !== undefined) product.price = body.price;
        if (body.currency !== undefined) product.currency = body.currency;
        if (body.status !== undefined) product.status = body.status;
        if (body.label_name !== undefined) product.labelName = body.label_name;
        if (body.saas_only !== undefined) product.saasOnly = body.saas_only;
        if (body.categories !== undefined) product.categories = cleanCategories(body.categories);
        if (body.images !== undefined) product.images = body.images;
        if (body.attributes !== undefined) product.attributes = body.attributes;
        if (body.metadata !== undefined) product.metadata = body.metadata;
        if (body.type !== undefined && body.type !== product.type) {
          if (product.type === 'subscription' && (await this.repo.countTiers(txCtx, product.id)) > 0) {
            throw new ConflictError('Delete the tiers of this subscription product before changing its type', 'type');
          }
          product.type = body.type;
        }
        const saved = await this.repo.saveProduct(txCtx, product);
        const result = toProduct(saved, await this.repo.variantsOf(txCtx, saved.id));
        await this.events.record(txCtx, 'product.updated', result);
        return result;
      }),
    );
  }

  /** Soft delete: the product is archived (reversible with PATCH status); orders keep referencing it. */
  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const product = await this.findForUpdate(txCtx, id);
      if (product.status === 'archived') return;
      product.status = 'archived';
      const saved = await this.repo.saveProduct(txCtx, product);
      await this.events.record(txCtx, 'product.deleted', toProduct(saved, await this.repo.variantsOf(txCtx, saved.id)));
    });
  }

  async categories(ctx: RequestContext, page: PageQuery): Promise<Page<Schemas['Category']>> {
    return pageOfList(await this.repo.categoryCounts(ctx), page, CATEGORY_ORDER);
  }

  /**
   * For inventory and orders: the product (and variant) to sell. Missing, malformed or archived
   * products and unknown variants answer NotFoundError. Joins the caller's transaction via `ctx`.
   */
  async getForSale(ctx: RequestContext, productId: string, variantId?: string): Promise<ProductForSale> {
    const product = await this.repo.getProduct(ctx, parseIdOr404(productId, 'prod', 'product'));
    if (product.status === 'archived') throw new NotFoundError('product', productId);
    const variant = variantId === undefined ? null : await this.repo.getVariant(ctx, product.id, parseIdOr404(variantId, 'var', 'variant'));
    return {
      id: product.id,
      sku: product.sku,
      name: product.name,
      price: product.price,
      currency: product.currency,
      status: product.status,
      variantId: variant?.id ?? null,
      variantPrice: variant?.price ?? null,
    };
  }

  /**
   * For inventory: `stock` (units available over every location and variant) moves by `delta`,
   * in the caller's transaction, after the stock levels that changed by the same amount.
   */
  async shiftStock(ctx: RequestContext, productId: string, delta: number): Promise<void> {
    if (delta === 0) return;
    if (!(await this.repo.shiftStock(ctx, productId, delta))) {
      throw new Error(`products.stock of ${productId} is out of step with its stock levels (shift by ${delta} refused)`);
    }
  }

  // --- variants
  async createVariant(ctx: RequestContext, productId: string, body: Schemas['CreateVariantRequest']): Promise<Schemas['ProductVariant']> {
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        let product = await this.findForUpdate(txCtx, productId);
        const variant = await this.repo.saveVariant(txCtx, variantFields(product.id, body));
        if (await this.receiveInitialStock(txCtx, product.id, [variant], [body])) product = await this.findForUpdate(txCtx, product.id);
        await this.recordProductUpdated(txCtx, product);
        return toVariant(variant);
      }),
    );
  }

  async updateVariant(ctx: RequestContext, productId: string, variantId: string, body: Schemas['UpdateVariantRequest']): Promise<Schemas['ProductVariant']> {
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        const product = await this.findForUpdate(txCtx, productId);
        const variant = await this.findVariant(txCtx, product.id, variantId);
        if (body.sku !== undefined) variant.sku = body.sku;
        if (body.price !== undefined) variant.price = body.price;
        if (body.attributes !== undefined) variant.attributes = body.attributes;
        if (body.image !== undefined) variant.image = body.image;
        const saved = await this.repo.saveVariant(txCtx, variant);
        await this.recordProductUpdated(txCtx, product);
        return toVariant(saved);
      }),
    );
  }

  async deleteVariant(ctx: RequestContext, productId: string, variantId: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const product = await this.findForUpdate(txCtx, productId);
      const variant = await this.findVariant(txCtx, product.id, variantId);
      await this.repo.deleteVariant(txCtx, variant.id);
      await this.recordProductUpdated(txCtx, product);
    });
  }

  // --- tiers
  async listTiers(ctx: RequestContext, productId: string): Promise<Schemas['ProductTier'][]> {
    const product = await this.find(ctx, productId);
    return (await this.repo.tiersOf(ctx, product.id)).map(toTier);
  }

  /** `GET /products/{id}/tiers`: the product's tiers, a page at a time like every list. */
  async pageTiers(ctx: RequestContext, productId: string, page: PageQuery): Promise<Page<Schemas['ProductTier']>> {
    return pageOfList(await this.listTiers(ctx, productId), page, TIER_ORDER);
  }

  /** `GET /tiers/{label}`: the subscription's tiers, a page at a time like every list. */
  async pageTiersByLabel(ctx: RequestContext, labelName: string, page: PageQuery): Promise<Page<Schemas['ProductTier']>> {
    return pageOfList(await this.listTiersByLabel(ctx, labelName), page, TIER_ORDER);
  }

  /** The tiers of the subscription product whose `label_name` this is. */
  async listTiersByLabel(ctx: RequestContext, labelName: string): Promise<Schemas['ProductTier'][]> {
    const product = await this.repo.findProductByLabel(ctx, labelName);
    // A single product may carry a label too (the resolver sells it by that name), but has no tiers.
    if (!product || product.type !== 'subscription') throw new NotFoundError('subscription', labelName);
    return (await this.repo.tiersOf(ctx, product.id)).map(toTier);
  }

  async createTier(ctx: RequestContext, productId: string, body: Schemas['CreateTierRequest']): Promise<Schemas['ProductTier']> {
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        const product = await this.findForUpdate(txCtx, productId);
        if (product.type !== 'subscription') {
          throw new ConflictError('Only subscription products have tiers; set type to subscription first', 'type');
        }
        const tier = await this.repo.saveTier(txCtx, {
          id: newId('tier'),
          productId: product.id,
          labelName: body.label_name,
          name: body.name,
          description: body.description ?? null,
          price: body.price,
          currency: body.currency ?? product.currency,
          billingCycle: body.billing_cycle,
          features: body.features ?? [],
          isPopular: body.is_popular ?? false,
        });
        await this.recordProductUpdated(txCtx, product);
        return toTier(tier);
      }),
    );
  }

  async updateTier(ctx: RequestContext, productId: string, tierId: string, body: Schemas['UpdateTierRequest']): Promise<Schemas['ProductTier']> {
    return conflictOnDuplicate(() =>
      this.tx.run(ctx, async (txCtx) => {
        const product = await this.findForUpdate(txCtx, productId);
        const tier = await this.findTier(txCtx, product.id, tierId);
        if (body.label_name !== undefined) tier.labelName = body.label_name;
        if (body.name !== undefined) tier.name = body.name;
        if (body.description !== undefined) tier.description = body.description;
        if (body.price !== undefined) tier.price = body.price;
        if (body.currency !== undefined) tier.currency = body.currency;
        if (body.billing_cycle !== undefined) tier.billingCycle = body.billing_cycle;
        if (body.features !== undefined) tier.features = body.features;
        if (body.is_popular !== undefined) tier.isPopular = body.is_popular;
        const saved = await this.repo.saveTier(txCtx, tier);
        await this.recordProductUpdated(txCtx, product);
        return toTier(saved);
      }),
    );
  }

  async deleteTier(ctx: RequestContext, productId: string, tierId: string): Promise<void> {
    await this.tx.run(ctx, async (txCtx) => {
      const product = await this.findForUpdate(txCtx, productId);
      const tier = await this.findTier(txCtx, product.id, tierId);
      await this.repo.deleteTier(txCtx, tier.id);
      await this.recordProductUpdated(txCtx, product);
    });
  }

  // --- helpers
  private find(ctx: RequestContext, id: string): Promise<ProductEntity> {
    return this.repo.getProduct(ctx, parseIdOr404(id, 'prod', 'product'));
  }

  private async findForUpdate(ctx: RequestContext, id: string): Promise<ProductEntity> {
    const product = await this.repo.findProductForUpdate(ctx, parseIdOr404(id, 'prod', 'product'));
    if (!product) throw new NotFoundError('product', id);
    return product;
  }

  private findVariant(ctx: RequestContext, productId: string, id: string): Promise<VariantEntity> {
    return this.repo.getVariant(ctx, productId, parseIdOr404(id, 'var', 'variant'));
  }

  private findTier(ctx: RequestContext, productId: string, id: string): Promise<TierEntity> {
    return this.repo.getTier(ctx, productId, parseIdOr404(id, 'tier', 'tier'));
  }

  /** Variants and tiers are part of the product: their changes emit `product.updated`. */
  /** New variants' `inventory`, received at the default location (inventory's INITIAL_STOCK); whether any was. */
  private async receiveInitialStock(ctx: RequestContext, productId: string, saved: VariantEntity[], bodies: Schemas['CreateVariantRequest'][]): Promise<boolean> {
    const stocked = bodies.map((body, i) => ({ variant: saved[i], quantity: body.inventory ?? 0 })).filter((v) => v.quantity > 0);
    if (stocked.length === 0) return false;
    const stock = this.bindings.one<InitialStock>(INITIAL_STOCK);
    if (!stock) throw new Error('INITIAL_STOCK is not bound: InventoryModule is not loaded');
    for (const { variant, quantity } of stocked) await stock.receiveInitialStock(ctx, productId, variant.id, quantity);
    return true;
  }

  private async recordProductUpdated(ctx: RequestContext, product: ProductEntity): Promise<void> {
    await this.events.record(ctx, 'product.updated', toProduct(product, await this.repo.variantsOf(ctx, product.id)));
  }
}

function variantFields(productId: string, body: Schemas['CreateVariantRequest']): Partial<VariantEntity> {
  return {
    id: newId('var'),
    productId,
    sku: body.sku,
    price: body.price ?? null,
    attributes: body.attributes ?? {},
    image: body.image ?? null,
  };
}

/** Two variants of one create request cannot share a SKU (422 naming the second one). */
function assertDistinctSkus(variants: readonly Schemas['CreateVariantRequest'][]): void {
  const seen = new Set<string>();
  variants.forEach((v, i) => {
    if (seen.has(v.sku)) {
      throw new ValidationError('Two variants have the same sku', [{ field: `variants.${i}.sku`, message: 'duplicates another variant' }]);
    }
    seen.add(v.sku);
  });
}

import type { Schemas } from '../../platform/openapi/schemas';
import type { ProductEntity } from './entities/product.entity';
import type { TierEntity } from './entities/tier.entity';
import type { VariantEntity } from './entities/variant.entity';

export function toVariant(v: VariantEntity): Schemas['ProductVariant'] {
  return {
    id: v.id,
    product_id: v.productId,
    sku: v.sku,
    price: v.price,
    attributes: v.attributes,
    image: v.image,
    created_at: v.createdAt.toISOString(),
    updated_at: v.updatedAt.toISOString(),
  };
}

export function toProduct(p: ProductEntity, variants: readonly VariantEntity[]): Schemas['Product'] {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: p.price,
    currency: p.currency,
    status: p.status,
    type: p.type,
    label_name: p.labelName,
    saas_only: p.saasOnly,
    categories: p.categories,
    images: p.images,
    attributes: p.attributes,
    metadata: p.metadata,
    stock: p.stock,
    variants: variants.map(toVariant),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function toTier(t: TierEntity): Schemas['ProductTier'] {
  return {
    id: t.id,
    product_id: t.productId,
    label_name: t.labelName,
    name: t.name,
    description: t.description,
    price: t.price,
    currency: t.currency,
    billing_cycle: t.billingCycle,
    features: t.features,
    is_popular: t.isPopular,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

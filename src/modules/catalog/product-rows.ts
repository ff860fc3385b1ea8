import type { Mode } from '../../platform/context/request-context';
import { fromBigintColumn } from '../../platform/money/money';
import type { Attributes, ProductEntity, ProductStatus, ProductType } from './entities/product.entity';
import type { VariantEntity } from './entities/variant.entity';

/*
 * Products and variants as the hot list reads select them with plain SQL, and the mapping of a row
 * to the entity's shape: what TypeORM's hydration did (bigint strings → safe integers, column
 * names → properties), without building the query and the entity metadata walk per request.
 * `pg` already parses timestamptz to Date, jsonb to objects and text[] to arrays.
 */

/** Every column of ProductEntity except `search_vector` (not selected by TypeORM either), for alias `p`. */
export const PRODUCT_COLUMNS = [
  'id', 'tenant_id', 'mode', 'sku', 'name', 'description', 'price', 'currency', 'status', 'type', 'label_name',
  'saas_only', 'categories', 'images', 'attributes', 'metadata', 'stock', 'created_at', 'updated_at',
].map((c) => `p.${c}`).join(', ');

export interface ProductRow {
  id: string;
  tenant_id: string;
  mode: Mode;
  sku: string;
  name: string;
  description: string | null;
  price: string;
  currency: string;
  status: ProductStatus;
  type: ProductType;
  label_name: string | null;
  saas_only: boolean;
  categories: string[];
  images: string[];
  attributes: Attributes;
  metadata: Record<string, string>;
  stock: string;
  created_at: Date;
  updated_at: Date;
}

export function productOfRow(r: ProductRow): ProductEntity {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    mode: r.mode,
    sku: r.sku,
    name: r.name,
    description: r.description,
    price: fromBigintColumn(r.price),
    currency: r.currency,
    status: r.status,
    type: r.type,
    labelName: r.label_name,
    saasOnly: r.saas_only,
    categories: r.categories,
    images: r.images,
    attributes: r.attributes,
    metadata: r.metadata,
    stock: fromBigintColumn(r.stock),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Every column of VariantEntity, for alias `v`. */
export const VARIANT_COLUMNS = ['id', 'tenant_id', 'mode', 'product_id', 'sku', 'price', 'attributes', 'image', 'created_at', 'updated_at']
  .map((c) => `v.${c}`).join(', ');

export interface VariantRow {
  id: string;
  tenant_id: string;
  mode: Mode;
  product_id: string;
  sku: string;
  price: string | null;
  attributes: Attributes;
  image: string | null;
  created_at: Date;
  updated_at: Date;
}

export function variantOfRow(r: VariantRow): VariantEntity {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    mode: r.mode,
    productId: r.product_id,
    sku: r.sku,
    price: r.price === null ? null : fromBigintColumn(r.price),
    attributes: r.attributes,
    image: r.image,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

import { toProduct } from './catalog.mappers';
import { productOfRow, variantOfRow, type ProductRow, type VariantRow } from './product-rows';

const at = new Date('2026-03-01T10:20:30.456Z');
const productRow: ProductRow = {
  id: 'prod_1', tenant_id: 'ten_a', mode: 'live', sku: 'MUG', name: 'Mug', description: null, price: '1999', currency: 'usd',
  status: 'active', type: 'single', label_name: null, saas_only: false, categories: ['kitchen'], images: [], attributes: { color: 'red' },
  metadata: {}, stock: '9007199254740991', created_at: at, updated_at: at,
};
const variantRow: VariantRow = {
  id: 'var_1', tenant_id: 'ten_a', mode: 'live', product_id: 'prod_1', sku: 'MUG-L', price: null, attributes: { size: 'L' }, image: null,
  created_at: at, updated_at: at,
};

describe('product rows read with plain SQL', () => {
  it('map to the entity shape, bigint strings to safe integers, so the response is what hydration gave', () => {
    const product = toProduct(productOfRow(productRow), [variantOfRow(variantRow), variantOfRow({ ...variantRow, id: 'var_2', price: '2500' })]);
    expect(product).toMatchObject({
      id: 'prod_1', sku: 'MUG', price: 1999, stock: Number.MAX_SAFE_INTEGER, label_name: null, saas_only: false, categories: ['kitchen'],
      created_at: '2026-03-01T10:20:30.456Z', updated_at: '2026-03-01T10:20:30.456Z',
    });
    expect(product.variants.map((v) => [v.id, v.product_id, v.price])).toEqual([['var_1', 'prod_1', null], ['var_2', 'prod_1', 2500]]);
  });

  it('refuse an amount past the safe integer range rather than round it', () => {
    expect(() => productOfRow({ ...productRow, price: '9007199254740993' })).toThrow(RangeError);
  });
});

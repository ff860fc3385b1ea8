import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant } from '../support/factories';

/** Issue 22 item 4: `inventory` on variant create is the variant's initial stock at the default location. */
describe('initial stock on variant create (e2e)', () => {
  let t: TestApp;
  let key: string;

  const newProduct = async (sku: string, extra: Record<string, unknown> = {}) => {
    const res = await t.http.post('/api/v1/products', { sku, name: sku, price: 1500, ...extra }, { token: key });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; stock: number; variants: { id: string; sku: string }[] };
  };

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpTenant(t.http, 'Variant stock shop');
    key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
  });

  afterAll(() => t.close());

  it('refuses initial stock while there is no location, and makes no variant', async () => {
    const product = await newProduct('NOLOC-TEE');
    const res = await t.http.post(`/api/v1/products/${product.id}/variants`, { sku: 'NOLOC-TEE-S', inventory: 5 }, { token: key });
    expect(res.status).toBe(422);
    expect(res.body.error.field).toBe('inventory');
    const after = await t.http.get(`/api/v1/products/${product.id}`, { token: key });
    expect(after.body.data.variants).toEqual([]);
    // Without stock to receive, no location is needed.
    const plain = await t.http.post(`/api/v1/products/${product.id}/variants`, { sku: 'NOLOC-TEE-M', inventory: 0 }, { token: key });
    expect(plain.status).toBe(201);
  });

  it('receives the stock at the oldest location, as a received movement', async () => {
    const first = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, { token: key });
    expect(first.status).toBe(201);
    expect((await t.http.post('/api/v1/locations', { name: 'Overflow', code: 'OVER' }, { token: key })).status).toBe(201);
    const product = await newProduct('STOCK-TEE');

    const res = await t.http.post(`/api/v1/products/${product.id}/variants`, { sku: 'STOCK-TEE-L', inventory: 25 }, { token: key });
    expect(res.status).toBe(201);
    const variantId = res.body.data.id as string;

    const stock = await t.http.get(`/api/v1/inventory/${product.id}`, { token: key });
    expect(stock.status).toBe(200);
    expect(stock.body.data.total_on_hand).toBe(25);
    expect(stock.body.data.variants).toEqual([
      expect.objectContaining({ variant_id: variantId, total_on_hand: 25, locations: [expect.objectContaining({ location_id: first.body.data.id, on_hand: 25 })] }),
    ]);
    const moves = await t.http.get(`/api/v1/inventory/${product.id}/movements`, { token: key });
    expect(moves.status).toBe(200);
    expect(moves.body.data).toEqual([expect.objectContaining({ reason: 'received', on_hand_delta: 25, variant_id: variantId, note: 'Initial stock' })]);
    const fetched = await t.http.get(`/api/v1/products/${product.id}`, { token: key });
    expect(fetched.body.data.stock).toBe(25);
  });

  it('takes inventory on the variants of a new product too', async () => {
    const product = await newProduct('PACK-MUG', { variants: [{ sku: 'PACK-MUG-2', inventory: 7 }, { sku: 'PACK-MUG-4' }] });
    expect(product.stock).toBe(7);
    const stock = await t.http.get(`/api/v1/inventory/${product.id}`, { token: key });
    expect(stock.body.data.total_on_hand).toBe(7);
    expect(stock.body.data.variants).toHaveLength(1);
  });

  it('rejects a negative or fractional inventory', async () => {
    const product = await newProduct('BAD-STOCK');
    for (const inventory of [-1, 2.5, '3']) {
      const res = await t.http.post(`/api/v1/products/${product.id}/variants`, { sku: 'BAD-STOCK-1', inventory }, { token: key });
      expect(res.status).toBe(422);
    }
  });
});

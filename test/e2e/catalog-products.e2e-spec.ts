import type { TestApp } from '../support/app';
import { createApiKey, type TenantFixture } from '../support/factories';
import { createProduct, startShopAppWithOther } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';

describe('catalog: products CRUD and validation (e2e)', () => {
  let t: TestApp, other: TenantFixture, token: string, api: TypedApi;

  beforeAll(async () => {
    ({ t, token, api, other } = await startShopAppWithOther('Catalog shop'));
  });
  afterAll(() => t.close());

  describe('products CRUD', () => {
    it('creates a product with defaults and reads it by id and by SKU', async () => {
      const res = await api.post('/products', { body: {
          sku: 'TSHIRT-BLUE', name: 'Blue T-shirt', description: 'Organic cotton tee', price: 1999,
          categories: ['apparel', 'summer', 'apparel'], images: ['https://cdn.example.com/tee.png'],
          attributes: { material: 'cotton', weight_g: 180, organic: true }, metadata: { supplier: 'acme' },
        } });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        sku: 'TSHIRT-BLUE', name: 'Blue T-shirt', price: 1999, currency: 'usd', status: 'active', type: 'single',
        label_name: null, categories: ['apparel', 'summer'], stock: 0, variants: [], metadata: { supplier: 'acme' },
      });
      expect(res.body.data.id).toMatch(/^prod_/);
      const byId = await api.get('/products/{id}', { path: { id: res.body.data.id } });
      expect(byId.status).toBe(200);
      expect(byId.body.data).toEqual(res.body.data);
      const bySku = await api.get('/products/{id}', { path: { id: 'TSHIRT-BLUE' } });
      expect(bySku.status).toBe(200);
      expect(bySku.body.data.id).toBe(res.body.data.id);
    });

    it('creates variants with the product', async () => {
      const p = await createProduct(api, {
        variants: [
          { sku: 'HOODIE-S', attributes: { size: 'S' } },
          { sku: 'HOODIE-XL', price: 5500, attributes: { size: 'XL' }, image: 'https://cdn.example.com/xl.png' },
        ],
      });
      expect(p.variants).toHaveLength(2);
      expect(p.variants[0]).toMatchObject({ sku: 'HOODIE-S', price: null, product_id: p.id, image: null });
      expect(p.variants[1]).toMatchObject({ sku: 'HOODIE-XL', price: 5500, attributes: { size: 'XL' } });
      const dup = await api.post('/products', { body: { sku: 'X-DUP-VARIANTS', name: 'x', price: 1, variants: [{ sku: 'A1' }, { sku: 'A1' }] } });
      expect(dup.status).toBe(422);
      expect(dup.body.error.field).toBe('variants.1.sku');
    });

    it('PATCH and PUT are both partial and emit product.updated', async () => {
      const p = await createProduct(api, { description: 'keep me', categories: ['a'] });
      const patched = await api.patch('/products/{id}', { path: { id: p.id }, body: { name: 'Renamed', price: 2500 } });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ name: 'Renamed', price: 2500, description: 'keep me', categories: ['a'], sku: p.sku });
      expect(Date.parse(patched.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(p.updated_at));
      expect((await api.get('/products/{id}', { path: { id: p.id } })).body.data.updated_at).toBe(patched.body.data.updated_at);
      const put = await api.put('/products/{id}', { path: { id: p.id }, body: { description: null, metadata: { k: 'v' } } });
      expect(put.status).toBe(200);
      expect(put.body.data).toMatchObject({ name: 'Renamed', price: 2500, description: null, metadata: { k: 'v' } });
      const events = await api.get('/events', { query: { type: 'product.updated' } });
      expect(events.body.data.some((e) => e.data.object.id === p.id && e.data.object.name === 'Renamed')).toBe(true);
    });

    it('stock is not writable', async () => {
      const p = await createProduct(api);
      const res = await api.send('patch', '/products/{id}', { path: { id: p.id }, body: { stock: 99 } });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('stock');
    });

    it('DELETE archives (204), is reversible, and emits product.deleted', async () => {
      const p = await createProduct(api);
      const del = await api.delete('/products/{id}', { path: { id: p.id } });
      expect(del.status).toBe(204);
      const after = await api.get('/products/{id}', { path: { id: p.id } });
      expect(after.status).toBe(200);
      expect(after.body.data.status).toBe('archived');
      expect((await api.delete('/products/{id}', { path: { id: p.id } })).status).toBe(204);
      const restored = await api.patch('/products/{id}', { path: { id: p.id }, body: { status: 'active' } });
      expect(restored.body.data.status).toBe('active');
      const events = await api.get('/events', { query: { type: 'product.deleted' } });
      const mine = events.body.data.filter((e) => e.data.object.id === p.id);
      expect(mine).toHaveLength(1);
      expect(mine[0].data.object.status).toBe('archived');
    });

    it('records product.created in the events log', async () => {
      const p = await createProduct(api);
      const events = await api.get('/events', { query: { type: 'product.created' } });
      expect(events.status).toBe(200);
      const event = events.body.data.find((e) => e.data.object.id === p.id);
      expect(event?.data.object).toEqual(p);
    });

    it('answers 404 for unknown, malformed and other tenants\' products', async () => {
      const p = await createProduct(api);
      expect((await api.get('/products/{id}', { path: { id: 'prod_01h2xcejqtf2nbrexx3vqjhp41' } })).status).toBe(404);
      expect((await api.get('/products/{id}', { path: { id: 'NO-SUCH-SKU' } })).status).toBe(404);
      expect((await api.patch('/products/{id}', { path: { id: 'not-an-id' }, body: { name: 'x' } })).status).toBe(404);
      expect((await api.delete('/products/{id}', { path: { id: 'prod_garbage' } })).status).toBe(404);
      const theirs = other.accessToken;
      expect((await api.as(theirs).get('/products/{id}', { path: { id: p.id } })).status).toBe(404);
      expect((await api.as(theirs).get('/products/{id}', { path: { id: p.sku } })).status).toBe(404);
      expect((await api.as(theirs).patch('/products/{id}', { path: { id: p.id }, body: { name: 'stolen' } })).status).toBe(404);
      expect((await api.as(theirs).delete('/products/{id}', { path: { id: p.id } })).status).toBe(404);
      expect((await api.as(theirs).post('/products/{id}/variants', { path: { id: p.id }, body: { sku: 'THEIRS-1' } })).status).toBe(404);
      // The other tenant may use the same SKU.
      expect((await api.as(theirs).post('/products', { body: { sku: p.sku, name: 'Theirs', price: 1 } })).status).toBe(201);
    });

    it('keeps live and test data apart', async () => {
      const live = await createProduct(api);
      const testKey = await createApiKey(t.http, token, { mode: 'test' });
      const res = await api.as(testKey.secret).get('/products/{id}', { path: { id: live.id } });
      expect(res.status).toBe(404);
      const list = await api.as(testKey.secret).get('/products');
      expect(list.body.meta.livemode).toBe(false);
      expect(list.body.data).toEqual([]);
      // The same SKU is free in the sandbox.
      const created = await api.as(testKey.secret).post('/products', { body: { sku: live.sku, name: 'Sandbox copy', price: 1 } });
      expect(created.status).toBe(201);
      expect(created.body.meta.livemode).toBe(false);
    });

    it('enforces scopes: read-only keys cannot write, products:read keys can read', async () => {
      const readOnly = await createApiKey(t.http, token, { access: 'read_only' });
      expect((await api.as(readOnly.secret).get('/products')).status).toBe(200);
      const write = await api.as(readOnly.secret).post('/products', { body: { sku: 'RO-1', name: 'x', price: 1 } });
      expect(write.status).toBe(403);
      expect(write.body.error.code).toBe('authorization_error');
      const scoped = await createApiKey(t.http, token, { scopes: ['products:read'] });
      expect((await api.as(scoped.secret).get('/categories')).status).toBe(200);
      expect((await api.as(scoped.secret).post('/products', { body: { sku: 'RO-2', name: 'x', price: 1 } })).status).toBe(403);
      const writer = await createApiKey(t.http, token, { scopes: ['products:write'] });
      expect((await api.as(writer.secret).post('/products', { body: { sku: 'RW-1', name: 'x', price: 1 } })).status).toBe(201);
      const ordersOnly = await createApiKey(t.http, token, { scopes: ['orders:read'] });
      expect((await api.as(ordersOnly.secret).get('/products')).status).toBe(403);
      expect((await api.as(undefined).get('/products')).status).toBe(401);
    });
  });

  describe('validation and conflicts', () => {
    it('a duplicate SKU is 409 naming sku, on create and on update', async () => {
      const a = await createProduct(api);
      const dup = await api.post('/products', { body: { sku: a.sku, name: 'again', price: 1 } });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'sku' });
      const b = await createProduct(api);
      const clash = await api.patch('/products/{id}', { path: { id: b.id }, body: { sku: a.sku } });
      expect(clash.status).toBe(409);
      expect(clash.body.error.field).toBe('sku');
    });

    it.each([
      [{ sku: 'V-1', name: 'x', price: 19.99 }, 'price'],
      [{ sku: 'V-1', name: 'x', price: -1 }, 'price'],
      [{ sku: 'V-1', name: 'x', price: '100' }, 'price'],
      [{ sku: 'V-1', name: 'x' }, 'price'],
      [{ sku: 'V-1', name: '', price: 1 }, 'name'],
      [{ sku: 'V-1', name: 'x'.repeat(201), price: 1 }, 'name'],
      [{ name: 'x', price: 1 }, 'sku'],
      [{ sku: 'has space', name: 'x', price: 1 }, 'sku'],
      [{ sku: 'V-1', name: 'x', price: 1, currency: 'USD' }, 'currency'],
      [{ sku: 'V-1', name: 'x', price: 1, status: 'deleted' }, 'status'],
      [{ sku: 'V-1', name: 'x', price: 1, type: 'bundle' }, 'type'],
      [{ sku: 'V-1', name: 'x', price: 1, categories: Array.from({ length: 21 }, (_, i) => `c${i}`) }, 'categories'],
      [{ sku: 'V-1', name: 'x', price: 1, metadata: { n: 1 } }, 'metadata'],
      [{ sku: 'V-1', name: 'x', price: 1, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata'],
      [{ sku: 'V-1', name: 'x', price: 1, images: ['not a url'] }, 'images'],
      [{ sku: 'V-1', name: 'x', price: 1, attributes: { nested: { a: 1 } } }, 'attributes'],
      [{ sku: 'V-1', name: 'x', price: 1, stock: 5 }, 'stock'],
      [{ sku: 'V-1', name: 'x', price: 1, variants: [{ sku: 'ok', price: 1.5 }] }, 'variants.0.price'],
    ])('rejects %j with 422 naming %s', async (body, field) => {
      const res = await api.send('post', '/products', { body });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.field).toBe(field);
    });

    it('rejects null for fields that cannot be cleared', async () => {
      const p = await createProduct(api);
      const res = await api.send('patch', '/products/{id}', { path: { id: p.id }, body: { name: null } });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('name');
    });

    it('answers 400 naming bad list parameters', async () => {
      for (const [query, field] of [
        [{ sort: 'secret' }, 'sort'], [{ order: 'up' }, 'order'], [{ status: 'gone' }, 'status'],
        [{ type: 'bundle' }, 'type'], [{ active: 'maybe' }, 'active'], [{ per_page: 500 }, 'per_page'],
      ] as const) {
        const res = await api.send('get', '/products', { query });
        expect(res.status).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
    });
  });
});

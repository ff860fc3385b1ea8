import { startTestApp, type TestApp } from '../support/app';
import { createApiKey, signUpTenant, type TenantFixture } from '../support/factories';
import { RequestContext } from '../../src/platform/context/request-context';
import { NotFoundError } from '../../src/platform/errors/domain-errors';
import { ProductsService } from '../../src/modules/catalog/products.service';

const P = '/api/v1/products';

describe('catalog (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let other: TenantFixture;
  let token: string;
  let seq = 0;

  /** A product with a unique SKU; `overrides` replace the defaults. */
  async function product(overrides: Record<string, unknown> = {}, as = token) {
    seq += 1;
    const res = await t.http.post(P, { sku: `SKU-${seq}`, name: `Product ${seq}`, price: 1000 + seq, ...overrides }, { token: as });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  beforeAll(async () => {
    // This file creates well over a minute's default write allowance.
    process.env.RATE_LIMIT_WRITES_PER_MINUTE = '100000';
    process.env.RATE_LIMIT_READS_PER_MINUTE = '100000';
    t = await startTestApp();
    shop = await signUpTenant(t.http, 'Catalog shop');
    other = await signUpTenant(t.http, 'Other shop');
    token = shop.accessToken;
  });
  afterAll(async () => {
    await t.close();
  });

  describe('products CRUD', () => {
    it('creates a product with defaults and reads it by id and by SKU', async () => {
      const res = await t.http.post(
        P,
        {
          sku: 'TSHIRT-BLUE', name: 'Blue T-shirt', description: 'Organic cotton tee', price: 1999,
          categories: ['apparel', 'summer', 'apparel'], images: ['https://cdn.example.com/tee.png'],
          attributes: { material: 'cotton', weight_g: 180, organic: true }, metadata: { supplier: 'acme' },
        },
        { token },
      );
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        sku: 'TSHIRT-BLUE', name: 'Blue T-shirt', price: 1999, currency: 'usd', status: 'active', type: 'single',
        label_name: null, categories: ['apparel', 'summer'], stock: 0, variants: [], metadata: { supplier: 'acme' },
      });
      expect(res.body.data.id).toMatch(/^prod_/);
      const byId = await t.http.get(`${P}/${res.body.data.id}`, { token });
      expect(byId.status).toBe(200);
      expect(byId.body.data).toEqual(res.body.data);
      const bySku = await t.http.get(`${P}/TSHIRT-BLUE`, { token });
      expect(bySku.status).toBe(200);
      expect(bySku.body.data.id).toBe(res.body.data.id);
    });

    it('creates variants with the product', async () => {
      const p = await product({
        variants: [
          { sku: 'HOODIE-S', attributes: { size: 'S' } },
          { sku: 'HOODIE-XL', price: 5500, attributes: { size: 'XL' }, image: 'https://cdn.example.com/xl.png' },
        ],
      });
      expect(p.variants).toHaveLength(2);
      expect(p.variants[0]).toMatchObject({ sku: 'HOODIE-S', price: null, product_id: p.id, image: null });
      expect(p.variants[1]).toMatchObject({ sku: 'HOODIE-XL', price: 5500, attributes: { size: 'XL' } });
      const dup = await t.http.post(P, { sku: 'X-DUP-VARIANTS', name: 'x', price: 1, variants: [{ sku: 'A1' }, { sku: 'A1' }] }, { token });
      expect(dup.status).toBe(422);
      expect(dup.body.error.field).toBe('variants.1.sku');
    });

    it('PATCH and PUT are both partial and emit product.updated', async () => {
      const p = await product({ description: 'keep me', categories: ['a'] });
      const patched = await t.http.patch(`${P}/${p.id}`, { name: 'Renamed', price: 2500 }, { token });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ name: 'Renamed', price: 2500, description: 'keep me', categories: ['a'], sku: p.sku });
      expect(Date.parse(patched.body.data.updated_at)).toBeGreaterThanOrEqual(Date.parse(p.updated_at));
      expect((await t.http.get(`${P}/${p.id}`, { token })).body.data.updated_at).toBe(patched.body.data.updated_at);
      const put = await t.http.put(`${P}/${p.id}`, { description: null, metadata: { k: 'v' } }, { token });
      expect(put.status).toBe(200);
      expect(put.body.data).toMatchObject({ name: 'Renamed', price: 2500, description: null, metadata: { k: 'v' } });
      const events = await t.http.get('/api/v1/events', { token, query: { type: 'product.updated' } });
      expect(events.body.data.some((e: any) => e.data.object.id === p.id && e.data.object.name === 'Renamed')).toBe(true);
    });

    it('stock is not writable', async () => {
      const p = await product();
      const res = await t.http.patch(`${P}/${p.id}`, { stock: 99 }, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('stock');
    });

    it('DELETE archives (204), is reversible, and emits product.deleted', async () => {
      const p = await product();
      const del = await t.http.delete(`${P}/${p.id}`, { token });
      expect(del.status).toBe(204);
      const after = await t.http.get(`${P}/${p.id}`, { token });
      expect(after.status).toBe(200);
      expect(after.body.data.status).toBe('archived');
      expect((await t.http.delete(`${P}/${p.id}`, { token })).status).toBe(204);
      const restored = await t.http.patch(`${P}/${p.id}`, { status: 'active' }, { token });
      expect(restored.body.data.status).toBe('active');
      const events = await t.http.get('/api/v1/events', { token, query: { type: 'product.deleted' } });
      const mine = events.body.data.filter((e: any) => e.data.object.id === p.id);
      expect(mine).toHaveLength(1);
      expect(mine[0].data.object.status).toBe('archived');
    });

    it('records product.created in the events log', async () => {
      const p = await product();
      const events = await t.http.get('/api/v1/events', { token, query: { type: 'product.created' } });
      expect(events.status).toBe(200);
      const event = events.body.data.find((e: any) => e.data.object.id === p.id);
      expect(event.data.object).toEqual(p);
    });

    it('answers 404 for unknown, malformed and other tenants\' products', async () => {
      const p = await product();
      expect((await t.http.get(`${P}/prod_01h2xcejqtf2nbrexx3vqjhp41`, { token })).status).toBe(404);
      expect((await t.http.get(`${P}/NO-SUCH-SKU`, { token })).status).toBe(404);
      expect((await t.http.patch(`${P}/not-an-id`, { name: 'x' }, { token })).status).toBe(404);
      expect((await t.http.delete(`${P}/prod_garbage`, { token })).status).toBe(404);
      const theirs = other.accessToken;
      expect((await t.http.get(`${P}/${p.id}`, { token: theirs })).status).toBe(404);
      expect((await t.http.get(`${P}/${p.sku}`, { token: theirs })).status).toBe(404);
      expect((await t.http.patch(`${P}/${p.id}`, { name: 'stolen' }, { token: theirs })).status).toBe(404);
      expect((await t.http.delete(`${P}/${p.id}`, { token: theirs })).status).toBe(404);
      expect((await t.http.post(`${P}/${p.id}/variants`, { sku: 'THEIRS-1' }, { token: theirs })).status).toBe(404);
      // The other tenant may use the same SKU.
      expect((await t.http.post(P, { sku: p.sku, name: 'Theirs', price: 1 }, { token: theirs })).status).toBe(201);
    });

    it('keeps live and test data apart', async () => {
      const live = await product();
      const testKey = await createApiKey(t.http, token, { mode: 'test' });
      const res = await t.http.get(`${P}/${live.id}`, { token: testKey.secret });
      expect(res.status).toBe(404);
      const list = await t.http.get(P, { token: testKey.secret });
      expect(list.body.meta.livemode).toBe(false);
      expect(list.body.data).toEqual([]);
      // The same SKU is free in the sandbox.
      const created = await t.http.post(P, { sku: live.sku, name: 'Sandbox copy', price: 1 }, { token: testKey.secret });
      expect(created.status).toBe(201);
      expect(created.body.meta.livemode).toBe(false);
    });

    it('enforces scopes: read-only keys cannot write, products:read keys can read', async () => {
      const readOnly = await createApiKey(t.http, token, { access: 'read_only' });
      expect((await t.http.get(P, { token: readOnly.secret })).status).toBe(200);
      const write = await t.http.post(P, { sku: 'RO-1', name: 'x', price: 1 }, { token: readOnly.secret });
      expect(write.status).toBe(403);
      expect(write.body.error.code).toBe('authorization_error');
      const scoped = await createApiKey(t.http, token, { scopes: ['products:read'] });
      expect((await t.http.get('/api/v1/categories', { token: scoped.secret })).status).toBe(200);
      expect((await t.http.post(P, { sku: 'RO-2', name: 'x', price: 1 }, { token: scoped.secret })).status).toBe(403);
      const writer = await createApiKey(t.http, token, { scopes: ['products:write'] });
      expect((await t.http.post(P, { sku: 'RW-1', name: 'x', price: 1 }, { token: writer.secret })).status).toBe(201);
      const ordersOnly = await createApiKey(t.http, token, { scopes: ['orders:read'] });
      expect((await t.http.get(P, { token: ordersOnly.secret })).status).toBe(403);
      expect((await t.http.get(P)).status).toBe(401);
    });
  });

  describe('validation and conflicts', () => {
    it('a duplicate SKU is 409 naming sku, on create and on update', async () => {
      const a = await product();
      const dup = await t.http.post(P, { sku: a.sku, name: 'again', price: 1 }, { token });
      expect(dup.status).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'sku' });
      const b = await product();
      const clash = await t.http.patch(`${P}/${b.id}`, { sku: a.sku }, { token });
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
      const res = await t.http.post(P, body, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.field).toBe(field);
    });

    it('rejects null for fields that cannot be cleared', async () => {
      const p = await product();
      const res = await t.http.patch(`${P}/${p.id}`, { name: null }, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('name');
    });

    it('answers 400 naming bad list parameters', async () => {
      for (const [query, field] of [
        [{ sort: 'secret' }, 'sort'], [{ order: 'up' }, 'order'], [{ status: 'gone' }, 'status'],
        [{ type: 'bundle' }, 'type'], [{ active: 'maybe' }, 'active'], [{ per_page: 500 }, 'per_page'],
      ] as const) {
        const res = await t.http.get(P, { token, query });
        expect(res.status).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
    });
  });

  describe('listing: filters, sorting, paging', () => {
    let lister: TenantFixture;
    let lt: string;
    const made: any[] = [];

    beforeAll(async () => {
      lister = await signUpTenant(t.http, 'Lister');
      lt = lister.accessToken;
      const specs = [
        { sku: 'LAMP-01', name: 'Desk lamp', description: 'Warm LED light for reading', price: 4500, categories: ['home', 'lighting'] },
        { sku: 'MUG-01', name: 'Coffee mug', description: 'Stoneware, dishwasher safe', price: 1200, categories: ['home', 'kitchen'] },
        { sku: 'KETTLE-9', name: 'Electric kettle', description: null, price: 3900, categories: ['kitchen'], status: 'draft' },
        { sku: 'OLD-LAMP', name: 'Old lamp', description: 'Discontinued light', price: 900, categories: ['lighting'], status: 'archived' },
        { sku: 'PRO-PLAN', name: 'Pro plan', description: 'Hosting subscription', price: 2900, type: 'subscription', label_name: 'pro-hosting', categories: ['hosting'] },
      ];
      for (const s of specs) {
        const res = await t.http.post(P, s, { token: lt });
        expect(res.status).toBe(201);
        made.push(res.body.data);
      }
    });

    const skus = (res: any) => res.body.data.map((p: any) => p.sku).sort();

    it('searches name, description and SKU with full-text search', async () => {
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'lamp' } }))).toEqual(['LAMP-01', 'OLD-LAMP']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'light' } }))).toEqual(['LAMP-01', 'OLD-LAMP']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'dishwasher' } }))).toEqual(['MUG-01']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'KETTLE-9' } }))).toEqual(['KETTLE-9']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'kettle' } }))).toEqual(['KETTLE-9']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'warm reading' } }))).toEqual(['LAMP-01']);
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'nothing-like-this' } }))).toEqual([]);
      // An update re-indexes the product.
      const mug = made[1];
      await t.http.patch(`${P}/${mug.id}`, { name: 'Espresso cup' }, { token: lt });
      expect(skus(await t.http.get(P, { token: lt, query: { search: 'espresso' } }))).toEqual(['MUG-01']);
    });

    it('filters by category, status, active and type', async () => {
      expect(skus(await t.http.get(P, { token: lt, query: { category: 'kitchen' } }))).toEqual(['KETTLE-9', 'MUG-01']);
      expect(skus(await t.http.get(P, { token: lt, query: { status: 'draft' } }))).toEqual(['KETTLE-9']);
      expect(skus(await t.http.get(P, { token: lt, query: { status: 'archived' } }))).toEqual(['OLD-LAMP']);
      expect(skus(await t.http.get(P, { token: lt, query: { active: true } }))).toEqual(['LAMP-01', 'MUG-01', 'PRO-PLAN']);
      expect(skus(await t.http.get(P, { token: lt, query: { active: false } }))).toEqual(['KETTLE-9', 'OLD-LAMP']);
      expect(skus(await t.http.get(P, { token: lt, query: { type: 'subscription' } }))).toEqual(['PRO-PLAN']);
      expect(skus(await t.http.get(P, { token: lt, query: { type: 'single', category: 'lighting', active: true } }))).toEqual(['LAMP-01']);
    });

    it('counts categories over non-archived products', async () => {
      const res = await t.http.get('/api/v1/categories', { token: lt });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { name: 'home', product_count: 2 },
        { name: 'hosting', product_count: 1 },
        { name: 'kitchen', product_count: 2 },
        { name: 'lighting', product_count: 1 },
      ]);
    });

    it.each([
      ['name', (p: any) => p.name],
      ['price', (p: any) => p.price],
      ['created_at', (p: any) => p.created_at],
      ['updated_at', (p: any) => p.updated_at],
      ['stock', (p: any) => p.stock],
    ])('sorts by %s both ways', async (sort, key) => {
      for (const order of ['asc', 'desc'] as const) {
        const res = await t.http.get(P, { token: lt, query: { sort, order } });
        expect(res.status).toBe(200);
        const values = res.body.data.map(key);
        const ids = res.body.data.map((p: any) => p.id);
        const expected = [...res.body.data]
          .sort((a: any, b: any) => {
            const [x, y] = [key(a), key(b)];
            const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
            return order === 'asc' ? c : -c;
          })
          .map((p: any) => p.id);
        expect(values).toHaveLength(5);
        const fixed: Record<string, unknown[]> = {
          name: ['Desk lamp', 'Electric kettle', 'Espresso cup', 'Old lamp', 'Pro plan'],
          price: [900, 1200, 2900, 3900, 4500],
        };
        if (fixed[sort]) expect(values).toEqual(order === 'asc' ? fixed[sort] : [...fixed[sort]].reverse());
        if (sort !== 'name') expect(ids).toEqual(expected);
      }
    });

    it('defaults to newest first', async () => {
      const res = await t.http.get(P, { token: lt });
      expect(res.body.data.map((p: any) => p.sku)).toEqual(['PRO-PLAN', 'OLD-LAMP', 'KETTLE-9', 'MUG-01', 'LAMP-01']);
    });
  });

  describe('paging over many products', () => {
    let pager: TenantFixture;
    const ids = new Set<string>();

    beforeAll(async () => {
      pager = await signUpTenant(t.http, 'Pager');
      for (let i = 0; i < 65; i++) {
        const res = await t.http.post(P, { sku: `PG-${String(i).padStart(3, '0')}`, name: `Item ${i % 7}`, price: (i * 37) % 11 }, { token: pager.accessToken });
        expect(res.status).toBe(201);
        ids.add(res.body.data.id);
      }
    });

    it('offset paging reports totals', async () => {
      const res = await t.http.get(P, { token: pager.accessToken, query: { page: 2, per_page: 20 } });
      expect(res.body.meta).toMatchObject({ page: 2, per_page: 20, total: 65, total_pages: 4, has_next: true, has_previous: true });
      expect(res.body.data).toHaveLength(20);
      const last = await t.http.get(P, { token: pager.accessToken, query: { page: 4, limit: 20 } });
      expect(last.body.data).toHaveLength(5);
      expect(last.body.meta).toMatchObject({ has_next: false, next_cursor: null });
    });

    it.each([
      ['created_at', 'desc'], ['price', 'asc'], ['name', 'desc'], ['updated_at', 'asc'], ['stock', 'desc'],
    ])('a cursor walk sorted by %s %s returns every product exactly once', async (sort, order) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let previous: any;
      do {
        const res = await t.http.get(P, { token: pager.accessToken, query: { per_page: 15, sort, order, cursor } });
        expect(res.status).toBe(200);
        if (cursor) expect(res.body.meta.total).toBeUndefined();
        for (const p of res.body.data) {
          if (previous && sort === 'price') expect(order === 'asc' ? p.price >= previous.price : p.price <= previous.price).toBe(true);
          previous = p;
          seen.push(p.id);
        }
        cursor = res.body.meta.next_cursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(5);
      expect(seen).toHaveLength(65);
      expect(new Set(seen)).toEqual(ids);
    });

    it('refuses a cursor from another sort', async () => {
      const first = await t.http.get(P, { token: pager.accessToken, query: { per_page: 10, sort: 'price' } });
      const res = await t.http.get(P, { token: pager.accessToken, query: { cursor: first.body.meta.next_cursor, sort: 'name' } });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('cursor');
    });
  });

  describe('variants', () => {
    it('adds, updates and deletes variants; SKUs are unique among variants', async () => {
      const p = await product();
      const created = await t.http.post(`${P}/${p.id}/variants`, { sku: `${p.sku}-RED`, price: 2100, attributes: { color: 'red' } }, { token });
      expect(created.status).toBe(201);
      const v = created.body.data;
      expect(v).toMatchObject({ product_id: p.id, sku: `${p.sku}-RED`, price: 2100, attributes: { color: 'red' }, image: null });
      expect(v.id).toMatch(/^var_/);
      expect((await t.http.get(`${P}/${p.id}`, { token })).body.data.variants).toEqual([v]);

      const dup = await t.http.post(`${P}/${p.id}/variants`, { sku: `${p.sku}-RED` }, { token });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('sku');
      const bad = await t.http.post(`${P}/${p.id}/variants`, { sku: 'ok-sku', price: 9.5 }, { token });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('price');

      const patched = await t.http.patch(`${P}/${p.id}/variants/${v.id}`, { price: null, image: 'https://cdn.example.com/red.png' }, { token });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ price: null, image: 'https://cdn.example.com/red.png', sku: v.sku });

      const elsewhere = await product();
      expect((await t.http.patch(`${P}/${elsewhere.id}/variants/${v.id}`, { price: 1 }, { token })).status).toBe(404);
      expect((await t.http.patch(`${P}/${p.id}/variants/var_bad`, { price: 1 }, { token })).status).toBe(404);
      expect((await t.http.delete(`${P}/${p.id}/variants/${v.id}`, { token: other.accessToken })).status).toBe(404);

      expect((await t.http.delete(`${P}/${p.id}/variants/${v.id}`, { token })).status).toBe(204);
      expect((await t.http.delete(`${P}/${p.id}/variants/${v.id}`, { token })).status).toBe(404);
      expect((await t.http.get(`${P}/${p.id}`, { token })).body.data.variants).toEqual([]);
    });
  });

  describe('subscription tiers', () => {
    it('manages tiers of a subscription product and lists them by label', async () => {
      const single = await product();
      const refused = await t.http.post(`${P}/${single.id}/tiers`, { label_name: 'basic', name: 'Basic', price: 500, billing_cycle: 'monthly' }, { token });
      expect(refused.status).toBe(409);
      expect(refused.body.error.field).toBe('type');

      const sub = await product({ type: 'subscription', label_name: 'cloud-hosting', currency: 'eur' });
      expect(sub.label_name).toBe('cloud-hosting');
      const basic = await t.http.post(`${P}/${sub.id}/tiers`, { label_name: 'basic', name: 'Basic', price: 500, billing_cycle: 'monthly', features: ['1 site'] }, { token });
      expect(basic.status).toBe(201);
      expect(basic.body.data).toMatchObject({ product_id: sub.id, label_name: 'basic', price: 500, currency: 'eur', billing_cycle: 'monthly', features: ['1 site'], is_popular: false, description: null });
      expect(basic.body.data.id).toMatch(/^tier_/);
      const pro = await t.http.post(`${P}/${sub.id}/tiers`, { label_name: 'pro', name: 'Pro', price: 1500, billing_cycle: 'yearly', is_popular: true }, { token });
      expect(pro.status).toBe(201);

      const dup = await t.http.post(`${P}/${sub.id}/tiers`, { label_name: 'pro', name: 'Pro again', price: 1, billing_cycle: 'monthly' }, { token });
      expect(dup.status).toBe(409);
      expect(dup.body.error.field).toBe('label_name');
      const bad = await t.http.post(`${P}/${sub.id}/tiers`, { label_name: 'x', name: 'X', price: 1, billing_cycle: 'weekly' }, { token });
      expect(bad.status).toBe(422);
      expect(bad.body.error.field).toBe('billing_cycle');

      const list = await t.http.get(`${P}/${sub.id}/tiers`, { token });
      expect(list.status).toBe(200);
      expect(list.body.data.map((x: any) => x.label_name)).toEqual(['basic', 'pro']);

      const patched = await t.http.patch(`${P}/${sub.id}/tiers/${pro.body.data.id}`, { price: 400, billing_cycle: 'quarterly' }, { token });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ price: 400, billing_cycle: 'quarterly', is_popular: true });

      const byLabel = await t.http.get('/api/v1/tiers/cloud-hosting', { token });
      expect(byLabel.status).toBe(200);
      expect(byLabel.body.data.map((x: any) => x.label_name)).toEqual(['pro', 'basic']);
      expect((await t.http.get('/api/v1/tiers/no-such-label', { token })).status).toBe(404);
      expect((await t.http.get('/api/v1/tiers/cloud-hosting', { token: other.accessToken })).status).toBe(404);

      // A subscription with tiers keeps its type; its label is unique.
      const retype = await t.http.patch(`${P}/${sub.id}`, { type: 'single' }, { token });
      expect(retype.status).toBe(409);
      const sameLabel = await t.http.post(P, { sku: 'SUB-2', name: 'Other sub', price: 1, type: 'subscription', label_name: 'cloud-hosting' }, { token });
      expect(sameLabel.status).toBe(409);
      expect(sameLabel.body.error.field).toBe('label_name');

      expect((await t.http.delete(`${P}/${sub.id}/tiers/${basic.body.data.id}`, { token })).status).toBe(204);
      expect((await t.http.delete(`${P}/${sub.id}/tiers/tier_nope`, { token })).status).toBe(404);
      expect((await t.http.get(`${P}/${sub.id}/tiers`, { token })).body.data).toHaveLength(1);
    });
  });

  describe('ProductsService.getForSale (for inventory and orders)', () => {
    let service: ProductsService;
    let ctx: RequestContext;

    beforeAll(() => {
      service = t.app.get(ProductsService);
      ctx = RequestContext.system('catalog-test', shop.tenantId, 'live');
    });

    it('returns the product and the variant price override', async () => {
      const p = await product({ price: 3000, variants: [{ sku: 'SALE-V1', price: 3500 }, { sku: 'SALE-V2' }] });
      expect(await service.getForSale(ctx, p.id)).toEqual({
        id: p.id, sku: p.sku, name: p.name, price: 3000, currency: 'usd', status: 'active', variantId: null, variantPrice: null,
      });
      expect(await service.getForSale(ctx, p.id, p.variants[0].id)).toMatchObject({ variantId: p.variants[0].id, variantPrice: 3500 });
      expect(await service.getForSale(ctx, p.id, p.variants[1].id)).toMatchObject({ variantId: p.variants[1].id, variantPrice: null });
    });

    it('throws NotFoundError for archived, missing, malformed, foreign or other-mode products and unknown variants', async () => {
      const p = await product();
      const q = await product({ variants: [{ sku: 'FOREIGN-V' }] });
      await expect(service.getForSale(ctx, 'prod_01h2xcejqtf2nbrexx3vqjhp41')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, 'garbage')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, p.id, 'var_bad')).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(ctx, p.id, q.variants[0].id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(RequestContext.system('catalog-test', other.tenantId, 'live'), p.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.getForSale(RequestContext.system('catalog-test', shop.tenantId, 'test'), p.id)).rejects.toBeInstanceOf(NotFoundError);
      await t.http.delete(`${P}/${p.id}`, { token });
      await expect(service.getForSale(ctx, p.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});

import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { signUpShop, startShopApp, type Product } from '../support/fixtures';
import type { QueryOf, RequestOf, ResOf, TypedApi } from '../support/typed-api';

type Sort = NonNullable<QueryOf<'/products', 'get'>['sort']>;

describe('catalog: listing, filters, sorting and paging (e2e)', () => {
  let t: TestApp, api: TypedApi;

  beforeAll(async () => {
    ({ t, api } = await startShopApp('Catalog shop'));
  });
  afterAll(() => t.close());

  describe('listing: filters, sorting, paging', () => {
    let lister: TenantFixture;
    let lt: TypedApi;
    const made: Product[] = [];

    beforeAll(async () => {
      lister = await signUpShop(t.http, 'Lister');
      lt = api.as(lister.accessToken);
      const specs: RequestOf<'/products', 'post'>[] = [
        { sku: 'LAMP-01', name: 'Desk lamp', description: 'Warm LED light for reading', price: 4500, categories: ['home', 'lighting'] },
        { sku: 'MUG-01', name: 'Coffee mug', description: 'Stoneware, dishwasher safe', price: 1200, categories: ['home', 'kitchen'] },
        { sku: 'KETTLE-9', name: 'Electric kettle', description: null, price: 3900, categories: ['kitchen'], status: 'draft' },
        { sku: 'OLD-LAMP', name: 'Old lamp', description: 'Discontinued light', price: 900, categories: ['lighting'], status: 'archived' },
        { sku: 'PRO-PLAN', name: 'Pro plan', description: 'Hosting subscription', price: 2900, type: 'subscription', label_name: 'pro-hosting', categories: ['hosting'] },
      ];
      for (const s of specs) {
        const res = await lt.post('/products', { body: s });
        expect(res.status).toBe(201);
        made.push(res.body.data);
      }
    });

    const skus = (res: ResOf<'/products', 'get'>) => res.body.data.map((p) => p.sku).sort();

    it('searches name, description and SKU with full-text search', async () => {
      expect(skus(await lt.get('/products', { query: { search: 'lamp' } }))).toEqual(['LAMP-01', 'OLD-LAMP']);
      expect(skus(await lt.get('/products', { query: { search: 'light' } }))).toEqual(['LAMP-01', 'OLD-LAMP']);
      expect(skus(await lt.get('/products', { query: { search: 'dishwasher' } }))).toEqual(['MUG-01']);
      expect(skus(await lt.get('/products', { query: { search: 'KETTLE-9' } }))).toEqual(['KETTLE-9']);
      expect(skus(await lt.get('/products', { query: { search: 'kettle' } }))).toEqual(['KETTLE-9']);
      expect(skus(await lt.get('/products', { query: { search: 'warm reading' } }))).toEqual(['LAMP-01']);
      expect(skus(await lt.get('/products', { query: { search: 'nothing-like-this' } }))).toEqual([]);
      // An update re-indexes the product.
      const mug = made[1];
      await lt.patch('/products/{id}', { path: { id: mug.id }, body: { name: 'Espresso cup' } });
      expect(skus(await lt.get('/products', { query: { search: 'espresso' } }))).toEqual(['MUG-01']);
    });

    it('filters by category, status, active and type', async () => {
      expect(skus(await lt.get('/products', { query: { category: 'kitchen' } }))).toEqual(['KETTLE-9', 'MUG-01']);
      expect(skus(await lt.get('/products', { query: { status: 'draft' } }))).toEqual(['KETTLE-9']);
      expect(skus(await lt.get('/products', { query: { status: 'archived' } }))).toEqual(['OLD-LAMP']);
      expect(skus(await lt.get('/products', { query: { active: true } }))).toEqual(['LAMP-01', 'MUG-01', 'PRO-PLAN']);
      expect(skus(await lt.get('/products', { query: { active: false } }))).toEqual(['KETTLE-9', 'OLD-LAMP']);
      expect(skus(await lt.get('/products', { query: { type: 'subscription' } }))).toEqual(['PRO-PLAN']);
      expect(skus(await lt.get('/products', { query: { type: 'single', category: 'lighting', active: true } }))).toEqual(['LAMP-01']);
    });

    it('counts categories over non-archived products', async () => {
      const res = await lt.get('/categories');
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual([
        { name: 'home', product_count: 2 },
        { name: 'hosting', product_count: 1 },
        { name: 'kitchen', product_count: 2 },
        { name: 'lighting', product_count: 1 },
      ]);
    });

    it.each<[Sort, (p: Product) => string | number]>([
      ['name', (p) => p.name],
      ['price', (p) => p.price],
      ['created_at', (p) => p.created_at],
      ['updated_at', (p) => p.updated_at],
      ['stock', (p) => p.stock],
    ])('sorts by %s both ways', async (sort, key) => {
      for (const order of ['asc', 'desc'] as const) {
        const res = await lt.get('/products', { query: { sort, order } });
        expect(res.status).toBe(200);
        const values = res.body.data.map(key);
        const ids = res.body.data.map((p) => p.id);
        const expected = [...res.body.data]
          .sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            const c = x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
            return order === 'asc' ? c : -c;
          })
          .map((p) => p.id);
        expect(values).toHaveLength(5);
        const fixed: Partial<Record<Sort, unknown[]>> = {
          name: ['Desk lamp', 'Electric kettle', 'Espresso cup', 'Old lamp', 'Pro plan'],
          price: [900, 1200, 2900, 3900, 4500],
        };
        const fixedValues = fixed[sort];
        if (fixedValues) expect(values).toEqual(order === 'asc' ? fixedValues : [...fixedValues].reverse());
        if (sort !== 'name') expect(ids).toEqual(expected);
      }
    });

    it('defaults to newest first', async () => {
      const res = await lt.get('/products');
      expect(res.body.data.map((p) => p.sku)).toEqual(['PRO-PLAN', 'OLD-LAMP', 'KETTLE-9', 'MUG-01', 'LAMP-01']);
    });
  });

  describe('paging over many products', () => {
    let pager: TenantFixture;
    const ids = new Set<string>();

    beforeAll(async () => {
      pager = await signUpShop(t.http, 'Pager');
      for (let i = 0; i < 65; i++) {
        const res = await api.as(pager.accessToken).post('/products', { body: { sku: `PG-${String(i).padStart(3, '0')}`, name: `Item ${i % 7}`, price: (i * 37) % 11 } });
        expect(res.status).toBe(201);
        ids.add(res.body.data.id);
      }
    });

    it('offset paging reports totals', async () => {
      const res = await api.as(pager.accessToken).get('/products', { query: { page: 2, per_page: 20 } });
      expect(res.body.meta).toMatchObject({ page: 2, per_page: 20, total: 65, total_pages: 4, has_next: true, has_previous: true });
      expect(res.body.data).toHaveLength(20);
      const last = await api.as(pager.accessToken).get('/products', { query: { page: 4, limit: 20 } });
      expect(last.body.data).toHaveLength(5);
      expect(last.body.meta).toMatchObject({ has_next: false, next_cursor: null });
    });

    it.each<[Sort, 'asc' | 'desc']>([
      ['created_at', 'desc'], ['price', 'asc'], ['name', 'desc'], ['updated_at', 'asc'], ['stock', 'desc'],
    ])('a cursor walk sorted by %s %s returns every product exactly once', async (sort, order) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      let previous: Product | undefined;
      do {
        const res = await api.as(pager.accessToken).get('/products', { query: { per_page: 15, sort, order, cursor } });
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
      const first = await api.as(pager.accessToken).get('/products', { query: { per_page: 10, sort: 'price' } });
      const res = await api.as(pager.accessToken).get('/products', { query: { cursor: first.body.meta.next_cursor ?? undefined, sort: 'name' } });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('cursor');
    });
  });
});

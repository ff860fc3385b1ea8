import { startTestApp, type TestApp } from '../support/app';
import { signUpShop } from '../support/fixtures';
import type { Schemas } from '../support/typed-api';

/**
 * Every list carries the full list meta and takes page/per_page/cursor, small fixed lists included
 * (`GET /categories`, `GET /tiers/{label}`, `GET /products/{id}/tiers`). The spec-checking client
 * validates each answer against ListMeta.
 */
describe('small lists page like every list (e2e)', () => {
  let t: TestApp;
  let token: string;
  let productId: string;
  const categories = ['books', 'garden', 'home', 'kitchen', 'lighting'];
  const tiers = [
    { label_name: 'basic', price: 500 },
    { label_name: 'plus', price: 1500 },
    { label_name: 'pro', price: 1500 },
    { label_name: 'max', price: 9900 },
  ];

  beforeAll(async () => {
    t = await startTestApp();
    const shop = await signUpShop(t.http);
    token = shop.accessToken;
    for (const [i, name] of categories.entries()) {
      const res = await t.http.post('/api/v1/products', { sku: `CAT-${i}`, name, price: 100, categories: [name, ...(i % 2 ? ['home'] : [])] }, { token });
      expect(res.status).toBe(201);
    }
    const sub = await t.http.post('/api/v1/products', { sku: 'SUB-1', name: 'Hosting', price: 0, type: 'subscription', label_name: 'hosting' }, { token });
    productId = sub.body.data.id;
    for (const tier of tiers) {
      const res = await t.http.post(`/api/v1/products/${productId}/tiers`, { ...tier, name: tier.label_name, billing_cycle: 'monthly' }, { token });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => t.close());

  /** Follows next_cursor from the first page to the end; returns every page's body. */
  async function walk<T>(path: string, perPage: number): Promise<{ data: T[]; meta: Schemas['ListMeta'] }[]> {
    const pages = [(await t.http.get(path, { token, query: { per_page: perPage } })).body];
    while (pages[pages.length - 1].meta.next_cursor) {
      const res = await t.http.get(path, { token, query: { per_page: perPage, cursor: pages[pages.length - 1].meta.next_cursor } });
      expect(res.status).toBe(200);
      pages.push(res.body);
    }
    return pages;
  }

  it('GET /categories: offset pages with page, per_page, total, total_pages, has_next, has_previous, next_cursor, has_more', async () => {
    const first = await t.http.get('/api/v1/categories', { token, query: { per_page: 2 } });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual([{ name: 'books', product_count: 1 }, { name: 'garden', product_count: 1 }]);
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 2, total: 5, total_pages: 3, has_next: true, has_previous: false, has_more: true });
    expect(typeof first.body.meta.next_cursor).toBe('string');

    const last = await t.http.get('/api/v1/categories', { token, query: { page: 3, limit: 2 } });
    expect(last.body.data).toEqual([{ name: 'lighting', product_count: 1 }]);
    expect(last.body.meta).toMatchObject({ page: 3, per_page: 2, total: 5, total_pages: 3, has_next: false, has_previous: true, next_cursor: null, has_more: false });

    const all = await t.http.get('/api/v1/categories', { token });
    expect(all.body.data).toEqual([
      { name: 'books', product_count: 1 },
      { name: 'garden', product_count: 1 },
      { name: 'home', product_count: 3 },
      { name: 'kitchen', product_count: 1 },
      { name: 'lighting', product_count: 1 },
    ]);
    expect(all.body.meta).toMatchObject({ page: 1, per_page: 50, total: 5, total_pages: 1, has_next: false, next_cursor: null });
  });

  it('GET /categories: the cursor walks every category once, and cursor pages carry no page or total', async () => {
    const pages = await walk<Schemas['Category']>('/api/v1/categories', 2);
    expect(pages.map((p) => p.data.map((c) => c.name))).toEqual([['books', 'garden'], ['home', 'kitchen'], ['lighting']]);
    for (const p of pages.slice(1)) {
      expect(p.meta).not.toHaveProperty('page');
      expect(p.meta).not.toHaveProperty('total');
      expect(p.meta).not.toHaveProperty('total_pages');
      expect(p.meta.has_previous).toBe(true);
    }
    expect(pages[1].meta).toMatchObject({ per_page: 2, has_next: true, has_more: true });
    expect(pages[2].meta).toMatchObject({ per_page: 2, has_next: false, has_more: false, next_cursor: null });
  });

  it('GET /tiers/{label}: cheapest first, ties by id, paged by offset and by cursor', async () => {
    const first = await t.http.get('/api/v1/tiers/hosting', { token, query: { per_page: 3 } });
    expect(first.status).toBe(200);
    expect(first.body.data.map((x: Schemas['ProductTier']) => x.price)).toEqual([500, 1500, 1500]);
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 3, total: 4, total_pages: 2, has_next: true, has_previous: false, has_more: true });

    const pages = await walk<Schemas['ProductTier']>('/api/v1/tiers/hosting', 1);
    const labels = pages.flatMap((p) => p.data.map((x) => x.label_name));
    expect(labels).toHaveLength(4);
    expect(new Set(labels)).toEqual(new Set(tiers.map((x) => x.label_name)));
    expect(pages.flatMap((p) => p.data.map((x) => x.price))).toEqual([500, 1500, 1500, 9900]);
    // The cursor walk and one whole page agree on the order, ties included.
    expect(labels).toEqual((await t.http.get('/api/v1/tiers/hosting', { token })).body.data.map((x: Schemas['ProductTier']) => x.label_name));
  });

  it('GET /products/{id}/tiers pages the same way', async () => {
    const res = await t.http.get(`/api/v1/products/${productId}/tiers`, { token, query: { per_page: 2, page: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((x: Schemas['ProductTier']) => x.price)).toEqual([1500, 9900]);
    expect(res.body.meta).toMatchObject({ page: 2, per_page: 2, total: 4, total_pages: 2, has_next: false, has_previous: true, next_cursor: null });
  });

  it('answers bad paging values, a foreign cursor and unknown parameters with 400 naming the parameter', async () => {
    const categoriesCursor = (await t.http.get('/api/v1/categories', { token, query: { per_page: 1 } })).body.meta.next_cursor;
    for (const [path, query, field] of [
      ['/api/v1/categories', { per_page: 201 }, 'per_page'],
      ['/api/v1/categories', { page: 0 }, 'page'],
      ['/api/v1/categories', { cursor: 'not-a-cursor' }, 'cursor'],
      ['/api/v1/categories', { cursor: categoriesCursor, page: 2 }, 'page'],
      ['/api/v1/tiers/hosting', { cursor: categoriesCursor }, 'cursor'],
      ['/api/v1/tiers/hosting', { limit: 'ten' }, 'limit'],
      ['/api/v1/categories', { search: 'home' }, 'search'],
      ['/api/v1/products', { colour: 'red' }, 'colour'],
    ] as const) {
      const res = await t.http.get(path, { token, query });
      expect([path, query, res.status, res.body.error?.code, res.body.error?.field]).toEqual([path, query, 400, 'invalid_request', field]);
    }
  });
});

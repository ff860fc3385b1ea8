import type { TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { createCustomer, signUpShop, startShopApp } from '../support/fixtures';
import type { TypedApi } from '../support/typed-api';

describe('customers: list filters, sorting and paging (e2e)', () => {
  let t: TestApp, api: TypedApi;

  beforeAll(async () => {
    ({ t, api } = await startShopApp('Customer shop'));
  });
  afterAll(() => t.close());

  describe('list: filters, sorting, paging', () => {
    let lister: TenantFixture;
    const ids: string[] = [];

    beforeAll(async () => {
      lister = await signUpShop(t.http, 'Lister');
      for (let i = 0; i < 65; i++) {
        const c = await createCustomer(api.as(lister.accessToken), {
            email: `person${String(i).padStart(2, '0')}@example.test`,
            first_name: i % 2 === 0 ? 'Alice' : 'Bob',
            last_name: `Zed${String(64 - i).padStart(2, '0')}`,
            tags: i % 3 === 0 ? ['vip', 'hosting'] : i % 3 === 1 ? ['vip'] : [],
            account_ref_id: `REF-${i}`,
        });
        ids.push(c.id);
      }
    });

    /** GET /customers of the lister, any query (bad values are under test too). */
    const list = (query: Record<string, string | number | undefined>) => api.as(lister.accessToken).send('get', '/customers', { query });

    it('filters by email (case-insensitive exact), name prefix, tags (all of them) and account_ref_id', async () => {
      const byEmail = await list({ email: 'PERSON07@example.TEST' });
      expect(byEmail.body.data.map((c) => c.id)).toEqual([ids[7]]);
      expect((await list({ email: 'person07' })).body.data).toHaveLength(0);

      const byName = await list({ name: 'ali', per_page: 200 });
      expect(byName.body.meta.total).toBe(33);
      expect(byName.body.data.every((c) => c.first_name === 'Alice')).toBe(true);
      expect((await list({ name: 'zed0' })).body.meta.total).toBe(10);
      expect((await list({ name: 'alice zed64' })).body.data.map((c) => c.id)).toEqual([ids[0]]);
      expect((await list({ name: '%' })).body.meta.total).toBe(0);

      expect((await list({ tags: 'vip' })).body.meta.total).toBe(44);
      const both = await list({ tags: 'vip,hosting', per_page: 200 });
      expect(both.body.meta.total).toBe(22);
      expect(both.body.data.every((c) => c.tags.includes('hosting') && c.tags.includes('vip'))).toBe(true);
      expect((await list({ tags: 'hosting,nope' })).body.meta.total).toBe(0);

      const byRef = await list({ account_ref_id: 'REF-12' });
      expect(byRef.body.data.map((c) => c.id)).toEqual([ids[12]]);
    });

    it('filters by creation range and names a malformed date', async () => {
      const all = (await list({ per_page: 200, sort: 'created_at', order: 'asc' })).body.data;
      const mid = all[30].created_at;
      const from = await list({ created_from: mid, per_page: 200 });
      expect(from.body.data.every((c) => c.created_at >= mid)).toBe(true);
      const to = await list({ created_to: mid, per_page: 200 });
      expect(to.body.data.every((c) => c.created_at <= mid)).toBe(true);
      expect(from.body.meta.total! + to.body.meta.total!).toBe(65 + all.filter((c) => c.created_at === mid).length);
      expect((await list({ created_from: '2000-01-01', created_to: '2000-12-31' })).body.meta.total).toBe(0);

      for (const param of ['created_from', 'created_to']) {
        const bad = await list({ [param]: 'yesterday' });
        expect(bad.status).toBe(400);
        expect(bad.body.error).toMatchObject({ code: 'invalid_request', field: param });
      }
    });

    it('sorts by created_at, updated_at, email and last_name, and rejects unknown sorts', async () => {
      const byEmail = (await list({ sort: 'email', per_page: 200 })).body.data.map((c) => c.email);
      expect(byEmail).toEqual([...byEmail].sort());
      expect(byEmail[0]).toBe('person00@example.test');
      const byEmailDesc = (await list({ sort: 'email', order: 'desc', per_page: 5 })).body.data.map((c) => c.email);
      expect(byEmailDesc[0]).toBe('person64@example.test');
      const byLast = (await list({ sort: 'last_name', per_page: 200 })).body.data.map((c) => c.last_name);
      expect(byLast[0]).toBe('Zed00');
      expect(byLast).toEqual([...byLast].sort());
      const newest = (await list({ per_page: 1 })).body.data[0];
      expect(newest.id).toBe(ids[64]);
      const oldest = (await list({ sort: 'created_at', order: 'asc', per_page: 1 })).body.data[0];
      expect(oldest.id).toBe(ids[0]);
      const touched = await api.as(lister.accessToken).patch('/customers/{id}', { path: { id: ids[5] }, body: { company: 'Touched' } });
      expect(touched.status).toBe(200);
      expect((await list({ sort: 'updated_at', order: 'desc', per_page: 1 })).body.data[0].id).toBe(ids[5]);

      const bad = await list({ sort: 'password' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('sort');
      expect((await list({ order: 'sideways' })).body.error.field).toBe('order');
    });

    it('pages with offsets', async () => {
      const page2 = await list({ page: 2, per_page: 20 });
      expect(page2.body.meta).toMatchObject({ page: 2, per_page: 20, total: 65, total_pages: 4, has_next: true, has_previous: true });
      expect(page2.body.data).toHaveLength(20);
      const last = await list({ page: 4, limit: 20 });
      expect(last.body.meta).toMatchObject({ page: 4, has_next: false, next_cursor: null });
      expect(last.body.data).toHaveLength(5);
      expect((await list({ per_page: 201 })).status).toBe(400);
    });

    it.each(['created_at', 'email', 'last_name', 'updated_at'])('walks every customer exactly once with cursors sorted by %s', async (sort) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await list({ sort, per_page: 7, cursor });
        expect(res.status).toBe(200);
        if (cursor) expect(res.body.meta.total).toBeUndefined();
        seen.push(...res.body.data.map((c) => c.id));
        cursor = res.body.meta.next_cursor ?? undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(10);
      expect(seen).toHaveLength(65);
      expect(new Set(seen)).toEqual(new Set(ids));
    });

    it('refuses a cursor from another sort', async () => {
      const first = await list({ sort: 'email', per_page: 5 });
      const res = await list({ sort: 'last_name', per_page: 5, cursor: first.body.meta.next_cursor ?? undefined });
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('cursor');
    });
  });
});

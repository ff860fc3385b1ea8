import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import type { TenantFixture } from '../support/factories';
import { createProduct, signUpShop } from '../support/fixtures';
import { typedApi } from '../support/typed-api';
import { ownerDb } from '../support/owner-db';

const MAX_SAFE = Number.MAX_SAFE_INTEGER; // 9007199254740991
const INT4_MAX = 2_147_483_647;

/** Numbers past what a column or a JS number holds exactly are bad input (422 naming the field), never 500. */
describe('overflow is bad input (e2e)', () => {
  let t: TestApp;
  let shop: TenantFixture;
  let token: string;
  let locationId: string;
  let customerId: string;

  const address = { line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

  const product = async (price: number) => (await createProduct(typedApi(t.http, token), { name: 'Gold bar', price })).id;

  const adjust = (productId: string, quantity: number) =>
    t.http.post(`/api/v1/inventory/${productId}/adjust`, { quantity, reason: 'received', location: locationId }, { token });

  async function stocked(price: number, quantity = 10): Promise<string> {
    const id = await product(price);
    expect((await adjust(id, quantity)).status).toBe(200);
    return id;
  }

  async function levels(productId: string) {
    const res = await typedApi(t.http, token).get('/inventory/{product_id}', { path: { product_id: productId } });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  const orderCount = async (): Promise<number> =>
    // The owner's connection: the app's runtime role sees no tenant row outside a scope (RLS), so it would count 0.
    (await (await ownerDb()).query('SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1', [shop.tenantId]))[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    shop = await signUpShop(t.http, 'Overflow shop');
    token = shop.accessToken;
    const loc = await t.http.post('/api/v1/locations', { name: 'Vault' }, { token });
    expect(loc.status).toBe(201);
    locationId = loc.body.data.id;
    const c = await t.http.post('/api/v1/customers', { email: `rich-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Rich', last_name: 'Buyer' }, { token });
    customerId = c.body.data.id;
  });

  afterAll(() => t.close());

  describe('orders', () => {
    it('a line total past MAX_SAFE_INTEGER → 422 naming the line quantity; no order, stock untouched', async () => {
      const gold = await stocked(MAX_SAFE);
      const before = await orderCount();
      const res = await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: gold, quantity: 2 }] }, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.field).toBe('items[0].quantity');
      expect(await orderCount()).toBe(before);
      expect(await levels(gold)).toMatchObject({ total_on_hand: 10, total_reserved: 0 });
    });

    it('lines that each fit but add up past MAX_SAFE_INTEGER → 422 naming items', async () => {
      const half = await stocked(Math.ceil(MAX_SAFE / 2));
      const other = await stocked(Math.ceil(MAX_SAFE / 2));
      const before = await orderCount();
      const res = await t.http.post('/api/v1/orders', {
        customer_id: customerId, shipping_address: address,
        items: [{ product_id: half, quantity: 1 }, { product_id: other, quantity: 1 }],
      }, { token });
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('items');
      expect(await orderCount()).toBe(before);
      expect(await levels(half)).toMatchObject({ total_reserved: 0 });
      expect(await levels(other)).toMatchObject({ total_reserved: 0 });
    });

    it('a total just at MAX_SAFE_INTEGER is still accepted', async () => {
      const exact = await stocked(MAX_SAFE);
      const res = await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: exact, quantity: 1 }] }, { token });
      expect(res.status).toBe(201);
      expect(res.body.data.total).toBe(MAX_SAFE);
    });
  });

  describe('inventory', () => {
    it('an adjustment whose result exceeds the integer column → 422 naming quantity; the level is unchanged', async () => {
      const id = await product(100);
      expect((await adjust(id, 1_000_000_000)).status).toBe(200);
      expect((await adjust(id, 1_000_000_000)).status).toBe(200);
      const res = await adjust(id, 1_000_000_000);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_error');
      expect(res.body.error.field).toBe('quantity');
      expect(await levels(id)).toMatchObject({ total_on_hand: 2_000_000_000 });
      // Up to the column's maximum exactly is fine.
      expect((await adjust(id, INT4_MAX - 2_000_000_000)).status).toBe(200);
      expect(await levels(id)).toMatchObject({ total_on_hand: INT4_MAX });
      expect((await adjust(id, 1)).status).toBe(422);
    });
  });

  describe('invoices', () => {
    const invoice = (lines: { description: string; quantity: number; unit_amount: number }[]) =>
      t.http.post('/api/v1/invoices', { customer_id: customerId, currency: 'usd', lines }, { token });

    it('quantity × unit_amount past MAX_SAFE_INTEGER → 422 naming the line', async () => {
      const res = await invoice([{ description: 'Gold', quantity: 2, unit_amount: MAX_SAFE }]);
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('lines[0].quantity');
    });

    it('lines adding up past MAX_SAFE_INTEGER → 422 naming lines', async () => {
      const res = await invoice([
        { description: 'A', quantity: 1, unit_amount: MAX_SAFE },
        { description: 'B', quantity: 1, unit_amount: 1 },
      ]);
      expect(res.status).toBe(422);
      expect(res.body.error.field).toBe('lines');
    });
  });

  describe('crafted cursors → 400 naming cursor', () => {
    const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
    const crafted: [string, string][] = [
      ['random base64', Buffer.from(randomUUID()).toString('base64')],
      ['base64 of bad JSON', b64('{"sort": "created_at", ')],
      ['JSON null', b64('null')],
      ['a date that is not a date', b64(['created_at', 'desc', 'not-a-date', 'x_1'])],
      ['a number where a date goes', b64(['created_at', 'desc', 1e308, 'x_1'])],
      ['a year past what PostgreSQL holds', b64(['created_at', 'desc', '999999-01-01T00:00:00.000Z', 'x_1'])],
      ['a NUL byte in the id', b64(['created_at', 'desc', '2026-01-01T00:00:00.000Z', 'x\u0000y'])],
      ['an object as the value', b64(['created_at', 'desc', { $gt: 1 }, 'x_1'])],
      ['an over-long id', b64(['created_at', 'desc', '2026-01-01T00:00:00.000Z', 'x'.repeat(5000)])],
    ];

    for (const route of ['/api/v1/products', '/api/v1/orders', '/api/v1/events']) {
      it(`${route}: every crafted cursor is refused`, async () => {
        for (const [name, cursor] of crafted) {
          const res = await t.http.get(route, { token, query: { cursor } });
          expect({ name, status: res.status, field: res.body.error?.field }).toEqual({ name, status: 400, field: 'cursor' });
        }
      });
    }

    it('/api/v1/products: a value of the wrong type for the sort column is refused', async () => {
      for (const [sort, value] of [['price', 'abc'], ['price', 1e30], ['price', 1.5], ['stock', 'abc'], ['stock', 2 ** 60], ['name', 12]] as const) {
        const res = await t.http.get('/api/v1/products', { token, query: { sort, order: 'asc', cursor: b64([sort, 'asc', value, 'prod_x']) } });
        expect({ sort, value, status: res.status, field: res.body.error?.field }).toEqual({ sort, value, status: 400, field: 'cursor' });
      }
    });

    it('/api/v1/orders: a cursor from another sort is refused; a real one still pages', async () => {
      const cheap = await stocked(100);
      for (const quantity of [1, 2]) {
        expect((await t.http.post('/api/v1/orders', { customer_id: customerId, shipping_address: address, items: [{ product_id: cheap, quantity }] }, { token })).status).toBe(201);
      }
      const page = await t.http.get('/api/v1/orders', { token, query: { sort: 'total', order: 'asc', per_page: 1 } });
      expect(page.status).toBe(200);
      const cursor = page.body.meta.next_cursor;
      expect(typeof cursor).toBe('string');
      const wrongSort = await t.http.get('/api/v1/orders', { token, query: { sort: 'created_at', per_page: 1, cursor } });
      expect(wrongSort.status).toBe(400);
      expect(wrongSort.body.error.field).toBe('cursor');
      const ok = await t.http.get('/api/v1/orders', { token, query: { sort: 'total', order: 'asc', per_page: 1, cursor } });
      expect(ok.status).toBe(200);
    });
  });
});

import type { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { ADDRESS, pkg, shippingShop, stockedProduct, US_ZONE, type ShippingShop } from '../support/shipping-fixtures';

describe('shipping on orders (e2e)', () => {
  let t: TestApp, db: DataSource;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  async function shop(): Promise<ShippingShop> {
    const s = await shippingShop(t, db);
    expect((await t.http.post('/api/v1/shipping/zones', US_ZONE, { token: s.key })).status).toBe(201);
    return s;
  }

  function order(s: ShippingShop, productId: string, quantity: number, extra: Record<string, unknown>) {
    return t.http.post('/api/v1/orders', { customer_id: s.customerId, shipping_address: ADDRESS, items: [{ product_id: productId, quantity }], ...extra }, { token: s.key });
  }

  async function quote(s: ShippingShop, destination: object, packages: object[]) {
    const res = await t.http.post('/api/v1/shipping/rates', { destination, packages }, { token: s.key });
    expect(res.status).toBe(200);
    return res.body.data.options as { id: string; carrier: string; service: string; amount: number }[];
  }

  it('charges the chosen rate exactly: total = subtotal + shipping_total', async () => {
    const s = await shop();
    const productId = await stockedProduct(t, s, 10, 1999);
    const options = await quote(s, { country: 'US', region: 'TX' }, [pkg(1200)]);
    const chosen = options.find((o) => o.carrier === 'table_rate')!;
    expect(chosen.amount).toBe(900);
    const res = await order(s, productId, 3, { shipping_rate_id: chosen.id });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ subtotal: 5997, shipping_total: 900, tax_total: 0, total: 6897, shipping_method: 'table_rate:standard' });
    const again = await t.http.get(`/api/v1/orders/${res.body.data.id}`, { token: s.key });
    expect(again.body.data).toMatchObject({ shipping_total: 900, total: 6897 });
  });

  it('prices shipping_method with shipping_packages (exact unit conversion) and applies the free-shipping threshold', async () => {
    const s = await shop();
    const productId = await stockedProduct(t, s, 10, 1999);
    // 2.2 lb = 998 g → 2 started 500 g steps → 900 + 2 × 200 with the sandbox's express service.
    const priced = await order(s, productId, 1, { shipping_method: 'sandbox:express', shipping_packages: [pkg(2.2, 'lb', [4, 4, 4], 'in')] });
    expect(priced.status).toBe(201);
    expect(priced.body.data).toMatchObject({ subtotal: 1999, shipping_total: 1300, total: 3299, shipping_method: 'sandbox:express' });

    const settings = await t.http.patch('/api/v1/shipping/settings', { free_shipping_thresholds: [{ currency: 'usd', min_subtotal: 5000 }] }, { token: s.key });
    expect(settings.status).toBe(200);
    expect(settings.body.data.free_shipping_thresholds).toEqual([{ currency: 'usd', min_subtotal: 5000 }]);
    const below = await order(s, productId, 2, { shipping_method: 'table_rate:standard', shipping_packages: [pkg(1500)] });
    expect(below.body.data).toMatchObject({ subtotal: 3998, shipping_total: 900, total: 4898 });
    const reached = await order(s, productId, 3, { shipping_method: 'table_rate:standard', shipping_packages: [pkg(1500)] });
    expect(reached.body.data).toMatchObject({ subtotal: 5997, shipping_total: 0, total: 5997, shipping_method: 'table_rate:standard' });
  });

  it('refuses a rate or method that cannot price the order (422) and reserves nothing', async () => {
    const s = await shop();
    const productId = await stockedProduct(t, s, 5, 1000);
    const france = (await quote(s, { country: 'FR' }, [pkg(500)]))[0];
    const cases: [Record<string, unknown>, string][] = [
      [{ shipping_rate_id: france.id }, 'shipping_rate_id'],
      [{ shipping_rate_id: 'rate_01h2xcejqtf2nbrexx3vqjhp41' }, 'shipping_rate_id'],
      [{ shipping_method: 'pigeon:fast', shipping_packages: [pkg(500)] }, 'shipping_method'],
      [{ shipping_method: 'table_rate:overnight', shipping_packages: [pkg(500)] }, 'shipping_method'],
      [{ shipping_packages: [pkg(500)] }, 'shipping_method'],
      [{ shipping_rate_id: france.id, shipping_method: 'sandbox:ground' }, 'shipping_method'],
    ];
    for (const [extra, field] of cases) {
      const res = await order(s, productId, 1, extra);
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].field).toBe(field);
    }
    const inventory = await t.http.get(`/api/v1/inventory/${productId}`, { token: s.key });
    expect(inventory.body.data).toMatchObject({ total_on_hand: 5, total_reserved: 0 });
    // A method without packages stays the free label it always was.
    const label = await order(s, productId, 1, { shipping_method: 'standard' });
    expect(label.body.data).toMatchObject({ shipping_total: 0, total: 1000, shipping_method: 'standard' });
  });

  it('a quote of another tenant is unknown', async () => {
    const s = await shop();
    const other = await shop();
    const productId = await stockedProduct(t, other, 5, 1000);
    const mine = (await quote(s, { country: 'US' }, [pkg(500)]))[0];
    const res = await order(other, productId, 1, { shipping_rate_id: mine.id });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('no such rate');
  });
});

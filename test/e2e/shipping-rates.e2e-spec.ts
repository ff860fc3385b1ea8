import type { DataSource } from 'typeorm';
import type { TestApp } from '../support/app';
import { startAppWithDb } from '../support/fixtures';
import { pkg, shippingShop, US_ZONE, type ShippingShop } from '../support/shipping-fixtures';

type Option = { id: string; carrier: string; service: string; amount: number; currency: string; estimated_days: number; billable_weight_grams: number };

describe('shipping rates (e2e)', () => {
  let t: TestApp, db: DataSource;

  beforeAll(async () => {
    ({ t, db } = await startAppWithDb());
  });
  afterAll(() => t.close());

  async function shopWithZone(zone: object = US_ZONE): Promise<ShippingShop> {
    const shop = await shippingShop(t, db);
    const res = await t.http.post('/api/v1/shipping/zones', zone, { token: shop.key });
    expect(res.status).toBe(201);
    return shop;
  }

  async function rates(shop: ShippingShop, packages: object[], extra: Record<string, unknown> = {}) {
    const res = await t.http.post('/api/v1/shipping/rates', { destination: { country: 'US', region: 'TX', postal_code: '78701' }, packages, ...extra }, { token: shop.key });
    expect(res.status).toBe(200);
    return res.body.data as { packages: { weight_grams: number; length_mm: number; width_mm: number; height_mm: number }[]; options: Option[] };
  }

  const option = (options: Option[], carrier: string, service: string) => options.find((o) => o.carrier === carrier && o.service === service)!;

  it('a heavier parcel never costs less, with every carrier', async () => {
    const shop = await shopWithZone();
    const weights = [1, 499, 500, 501, 1999, 2000, 2001, 4999, 5000, 5001, 6000, 6001, 9500, 20000];
    let last: Record<string, number> = {};
    for (const grams of weights) {
      const { options } = await rates(shop, [pkg(grams, 'g', [1, 1, 1])]); // 1 cm³: never billed on its volume
      const table = option(options, 'table_rate', 'standard');
      for (const o of options) {
        const key = `${o.carrier}:${o.service}`;
        expect(o.amount).toBeGreaterThanOrEqual(last[key] ?? 0);
        last = { ...last, [key]: o.amount };
      }
      expect(table.billable_weight_grams).toBe(grams);
    }
    // Hand-computed: 500 up to 500 g, 900 up to 2 kg, 1500 up to 5 kg, then +200 per started kg.
    const priceAt = async (g: number) => option((await rates(shop, [pkg(g)])).options, 'table_rate', 'standard').amount;
    expect([await priceAt(500), await priceAt(501), await priceAt(5000), await priceAt(5001), await priceAt(6001)]).toEqual([500, 900, 1500, 1700, 1900]);
  });

  it('refuses tiers that would make a heavier parcel cheaper (422), and answers options cheapest first', async () => {
    const shop = await shopWithZone();
    const falling = { ...US_ZONE, services: [{ ...US_ZONE.services[0], tiers: [{ max_weight_grams: 500, amount: 900 }, { max_weight_grams: 1000, amount: 800 }] }] };
    const refused = await t.http.post('/api/v1/shipping/zones', falling, { token: shop.key });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('services[0].tiers[1].amount');
    const { options } = await rates(shop, [pkg(1200)]);
    expect(options.map((o) => o.amount)).toEqual([...options.map((o) => o.amount)].sort((a, b) => a - b));
    expect(options.map((o) => `${o.carrier}:${o.service}`)).toEqual(expect.arrayContaining(['table_rate:standard', 'sandbox:ground', 'sandbox:express']));
  });

  it('dimensional weight wins for a light large box, with each carrier\'s divisor', async () => {
    const shop = await shopWithZone();
    // 40 × 30 × 20 cm = 24,000,000 mm³: 4,800 g at 5000 cm³/kg, 3,429 g at 7000; the box weighs 300 g.
    const { packages, options } = await rates(shop, [pkg(300, 'g', [40, 30, 20])]);
    expect(packages).toEqual([{ weight_grams: 300, length_mm: 400, width_mm: 300, height_mm: 200 }]);
    expect(option(options, 'table_rate', 'standard')).toMatchObject({ billable_weight_grams: 4800, amount: 1500 });
    expect(option(options, 'sandbox', 'ground')).toMatchObject({ billable_weight_grams: 4800, amount: 400 + 10 * 100 });
    // The same weight in a small box is billed on its weight.
    expect(option((await rates(shop, [pkg(300)])).options, 'table_rate', 'standard')).toMatchObject({ billable_weight_grams: 300, amount: 500 });

    const divisor = await t.http.patch('/api/v1/shipping/settings', { dimensional_divisor: 7000 }, { token: shop.key });
    expect(divisor.status).toBe(200);
    const after = await rates(shop, [pkg(300, 'g', [40, 30, 20])]);
    expect(option(after.options, 'table_rate', 'standard')).toMatchObject({ billable_weight_grams: 3429, amount: 1500 });
    expect(option(after.options, 'sandbox', 'ground').billable_weight_grams).toBe(4800); // the sandbox keeps its own divisor
    const carriers = await t.http.get('/api/v1/shipping/carriers', { token: shop.key });
    expect(carriers.status).toBe(200);
    expect(carriers.body.data.map((c: { code: string; dimensional_divisor: number }) => [c.code, c.dimensional_divisor])).toEqual([['sandbox', 5000], ['table_rate', 7000]]);
    expect(carriers.body.data.find((c: { code: string }) => c.code === 'table_rate').services).toEqual([{ code: 'standard', name: 'Standard' }]);
  });

  it('converts units exactly: 10 lb, 4.5359237 kg and 160 oz are all 4536 g; 12 in is 305 mm', async () => {
    const shop = await shopWithZone();
    const inPounds = await rates(shop, [pkg(10, 'lb', [12, 12, 12], 'in')]);
    const inKilos = await rates(shop, [pkg(4.5359237, 'kg', [30.48, 30.48, 30.48], 'cm')]);
    const inOunces = await rates(shop, [pkg(160, 'oz', [304.8, 304.8, 304.8], 'mm')]);
    for (const r of [inPounds, inKilos, inOunces]) expect(r.packages).toEqual([{ weight_grams: 4536, length_mm: 305, width_mm: 305, height_mm: 305 }]);
    const priceOf = (r: typeof inPounds) => r.options.map((o) => [o.carrier, o.service, o.amount, o.billable_weight_grams]);
    expect(priceOf(inKilos)).toEqual(priceOf(inPounds));
    expect(priceOf(inOunces)).toEqual(priceOf(inPounds));
    // 2.2 lb = 997.903214 g → 998 (rounded up, never the float 2.2000000000000002); 1 oz = 28.349523125 g → 29.
    expect((await rates(shop, [pkg(2.2, 'lb')])).packages[0].weight_grams).toBe(998);
    expect((await rates(shop, [pkg(1, 'oz')])).packages[0].weight_grams).toBe(29);
    const tooPrecise = await t.http.post('/api/v1/shipping/rates', { destination: { country: 'US' }, packages: [pkg(1.0000000001, 'kg')] }, { token: shop.key });
    expect(tooPrecise.status).toBe(422);
    expect(tooPrecise.body.error.details[0].field).toBe('packages[0].weight');
  });

  it('a zone naming the region wins over the country zone; no zone → only the sandbox quotes', async () => {
    const shop = await shopWithZone();
    const texas = { ...US_ZONE, name: 'Texas', countries: [], regions: ['US-TX'], services: [{ ...US_ZONE.services[0], tiers: [{ max_weight_grams: 100000, amount: 300 }] }] };
    expect((await t.http.post('/api/v1/shipping/zones', texas, { token: shop.key })).status).toBe(201);
    expect(option((await rates(shop, [pkg(1000)])).options, 'table_rate', 'standard').amount).toBe(300);
    const ny = await rates(shop, [pkg(1000)], { destination: { country: 'US', region: 'NY' } });
    expect(option(ny.options, 'table_rate', 'standard').amount).toBe(900);
    const abroad = await rates(shop, [pkg(1000)], { destination: { country: 'FR' } });
    expect(new Set(abroad.options.map((o) => o.carrier))).toEqual(new Set(['sandbox']));
    const eur = await rates(shop, [pkg(1000)], { currency: 'eur' });
    expect(eur.options.every((o) => o.currency === 'eur' && o.carrier === 'sandbox')).toBe(true);
  });

  it('zones and settings belong to one tenant: another tenant\'s zone is 404', async () => {
    const shop = await shopWithZone();
    const other = await shippingShop(t, db, 'Other shop');
    const zone = (await t.http.get('/api/v1/shipping/zones', { token: shop.key })).body.data[0];
    expect((await t.http.get(`/api/v1/shipping/zones/${zone.id}`, { token: shop.key })).status).toBe(200);
    expect((await t.http.get(`/api/v1/shipping/zones/${zone.id}`, { token: other.key })).status).toBe(404);
    expect((await t.http.put(`/api/v1/shipping/zones/${zone.id}`, US_ZONE, { token: other.key })).status).toBe(404);
    expect((await t.http.delete(`/api/v1/shipping/zones/${zone.id}`, { token: other.key })).status).toBe(404);
    expect((await t.http.get('/api/v1/shipping/zones', { token: other.key })).body.data).toEqual([]);
    const replaced = await t.http.put(`/api/v1/shipping/zones/${zone.id}`, { ...US_ZONE, name: 'USA' }, { token: shop.key });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data.name).toBe('USA');
    expect((await t.http.delete(`/api/v1/shipping/zones/${zone.id}`, { token: shop.key })).status).toBe(204);
    expect((await t.http.get(`/api/v1/shipping/zones/${zone.id}`, { token: shop.key })).status).toBe(404);
  });
});

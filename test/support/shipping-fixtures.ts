import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TestApp } from './app';
import { createApiKey, signUpTenant } from './factories';

/** A tenant working in test mode through a test API key, with one stock location and one customer. */
export interface ShippingShop {
  tenantId: string;
  ownerToken: string;
  /** `ck_test_…`: the sandbox, where tracking can be simulated. */
  key: string;
  locationId: string;
  customerId: string;
}

export const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'Austin', region: 'TX', postal_code: '78701', country: 'US' };

/** Signs up a tenant whose rate limits cannot get in the way, with a test key, a location and a customer. */
export async function shippingShop(t: TestApp, db: DataSource, name = 'Shipping shop'): Promise<ShippingShop> {
  const owner = await signUpTenant(t.http, name);
  await db.query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [owner.tenantId]);
  const key = (await createApiKey(t.http, owner.accessToken, { mode: 'test' })).secret;
  const loc = await t.http.post('/api/v1/locations', { name: 'Main', code: 'MAIN' }, { token: key });
  if (loc.status !== 201) throw new Error(`location: ${loc.status} ${JSON.stringify(loc.body)}`);
  const cus = await t.http.post('/api/v1/customers', { email: `buyer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'B', last_name: 'Uyer' }, { token: key });
  if (cus.status !== 201) throw new Error(`customer: ${cus.status} ${JSON.stringify(cus.body)}`);
  return { tenantId: owner.tenantId, ownerToken: owner.accessToken, key, locationId: loc.body.data.id, customerId: cus.body.data.id };
}

/** A product priced `price` with `quantity` on hand at the shop's location. */
export async function stockedProduct(t: TestApp, shop: ShippingShop, quantity: number, price = 1000): Promise<string> {
  const res = await t.http.post('/api/v1/products', { name: 'Widget', sku: `SKU-${randomUUID().slice(0, 8)}`, price }, { token: shop.key });
  if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
  const adjust = await t.http.post(`/api/v1/inventory/${res.body.data.id}/adjust`, { quantity, reason: 'received', location: shop.locationId }, { token: shop.key });
  if (adjust.status !== 200) throw new Error(`adjust: ${adjust.status} ${JSON.stringify(adjust.body)}`);
  return res.body.data.id;
}

/** A US zone of the table-rate carrier: standard 500 up to 500 g, 900 up to 2 kg, 1500 up to 5 kg, +200 per started kg. */
export const US_ZONE = {
  name: 'United States',
  countries: ['US'],
  services: [{
    service: 'standard', name: 'Standard', currency: 'usd', estimated_days: 4,
    tiers: [{ max_weight_grams: 500, amount: 500 }, { max_weight_grams: 2000, amount: 900 }, { max_weight_grams: 5000, amount: 1500 }],
    extra_per_kg: 200,
  }],
};

export function pkg(weight: number, weight_unit = 'g', dims: [number, number, number] = [10, 10, 10], dimension_unit = 'cm') {
  return { weight, weight_unit, length: dims[0], width: dims[1], height: dims[2], dimension_unit };
}

/** Confirms a pending order (shipments need it confirmed or processing). */
export async function confirmedOrder(t: TestApp, shop: ShippingShop, items: { product_id: string; quantity: number }[], extra: Record<string, unknown> = {}) {
  const res = await t.http.post('/api/v1/orders', { customer_id: shop.customerId, shipping_address: ADDRESS, items, ...extra }, { token: shop.key });
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  const confirmed = await t.http.patch(`/api/v1/orders/${res.body.data.id}/status`, { status: 'confirmed' }, { token: shop.key });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  return confirmed.body.data as { id: string; items: { id: string; product_id: string; quantity: number; fulfilled_quantity: number }[]; fulfillment_status: string; status: string };
}

export async function inventoryOf(t: TestApp, shop: ShippingShop, productId: string) {
  const res = await t.http.get(`/api/v1/inventory/${productId}`, { token: shop.key });
  if (res.status !== 200) throw new Error(`inventory: ${res.status}`);
  return res.body.data as { total_on_hand: number; total_reserved: number; total_available: number };
}

/** Every movement of the product, oldest first, as (kind, on_hand_delta, reserved_delta). */
export async function ledgerOf(t: TestApp, shop: ShippingShop, productId: string) {
  const res = await t.http.get(`/api/v1/inventory/${productId}/movements`, { token: shop.key, query: { per_page: 200, order: 'asc' } });
  if (res.status !== 200) throw new Error(`movements: ${res.status}`);
  return (res.body.data as { kind: string; on_hand_delta: number; reserved_delta: number; note: string | null }[]).map((m) => [m.kind, m.on_hand_delta, m.reserved_delta]);
}

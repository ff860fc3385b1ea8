import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './app';
import type { HttpClient } from './http-client';
import { createApiKey, signUpTenant, type TenantFixture } from './factories';
import { ownerDb } from './owner-db';
import { typedApi, type DataOf, type RequestOf, type TypedApi } from './typed-api';

/**
 * Shared fixtures for e2e tests: a tenant whose rate limits stay out of the way, and the catalog,
 * stock and customers most tests start from. Each throws with the answer when the API refuses, so a
 * broken fixture fails the test that needed it with the reason.
 */

export type Product = DataOf<'/products', 'post'>;
export type Location = DataOf<'/locations', 'post'>;
export type Customer = DataOf<'/customers', 'post'>;
export type StockLevels = DataOf<'/inventory/{product_id}', 'get'>;

/** Lifts a tenant's rate limits so that a test's own traffic never meets a 429 it did not ask for. */
export async function raiseRateLimits(tenantId: string): Promise<void> {
  await (await ownerDb()).query('UPDATE tenants SET rate_limit_writes = 100000, rate_limit_reads = 100000 WHERE id = $1', [tenantId]);
}

/** A fresh tenant with raised rate limits (set before its first authenticated request). */
export async function signUpShop(http: HttpClient, name = 'Test shop'): Promise<TenantFixture> {
  const fixture = await signUpTenant(http, name);
  await raiseRateLimits(fixture.tenantId);
  return fixture;
}

/** What a describe block's beforeAll starts from: the app, a shop, and a typed client acting for it. */
export interface ShopApp {
  t: TestApp;
  shop: TenantFixture;
  /** The shop owner's access token (live mode). */
  token: string;
  api: TypedApi;
}

/** The app and a fresh shop (`signUpShop`), with `api` acting as its owner. */
export async function startShopApp(name: string): Promise<ShopApp> {
  const t = await startTestApp();
  const shop = await signUpShop(t.http, name);
  return { t, shop, token: shop.accessToken, api: typedApi(t.http, shop.accessToken) };
}

/** `startShopApp` and a second shop (`other`), for the checks that tenants never see each other's rows. */
export async function startShopAppWithOther(name: string): Promise<ShopApp & { other: TenantFixture }> {
  const started = await startShopApp(name);
  return { ...started, other: await signUpShop(started.t.http, 'Other shop') };
}

/** The app and a fresh shop, with `api` acting with a test-mode API key of the shop (`key`). */
export async function startSandboxShopApp(name: string): Promise<ShopApp & { key: string }> {
  const t = await startTestApp();
  const shop = await signUpShop(t.http, name);
  const key = (await createApiKey(t.http, shop.accessToken, { mode: 'test' })).secret;
  return { t, shop, token: shop.accessToken, key, api: typedApi(t.http, key) };
}

/**
 * The app and the database owner's connection, for tests that read or age rows directly (raw SQL on
 * tenant tables runs as the owner: the app's runtime role sees nothing outside a tenant scope, RLS).
 */
export async function startAppWithDb(): Promise<{ t: TestApp; db: DataSource }> {
  return { t: await startTestApp(), db: await ownerDb() };
}

function created<T>(what: string, res: { status: number; body: unknown }, status = 201): T {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: T }).data;
}

/** A product ("Widget", 19.99 USD, a random SKU) with any field overridden. */
export async function createProduct(api: TypedApi, overrides: Partial<RequestOf<'/products', 'post'>> = {}): Promise<Product> {
  const body = { name: 'Widget', sku: `SKU-${randomUUID().slice(0, 8)}`, price: 1999, ...overrides };
  return created('product', await api.post('/products', { body }));
}

/** A stock location ("Main warehouse", no code unless given). */
export async function createLocation(api: TypedApi, overrides: Partial<RequestOf<'/locations', 'post'>> = {}): Promise<Location> {
  return created('location', await api.post('/locations', { body: { name: 'Main warehouse', ...overrides } }));
}

/** Receives `quantity` units of a product (or one of its variants) at a location. */
export async function addStock(
  api: TypedApi,
  productId: string,
  quantity: number,
  body: Partial<RequestOf<'/inventory/{product_id}/adjust', 'post'>> = {},
): Promise<StockLevels> {
  const res = await api.post('/inventory/{product_id}/adjust', { path: { product_id: productId }, body: { quantity, reason: 'received', ...body } });
  return created('stock', res, 200);
}

/** A product with `quantity` units received at `location` (the tenant's only location when omitted). */
export async function createStockedProduct(
  api: TypedApi,
  quantity: number,
  { location, ...overrides }: Partial<RequestOf<'/products', 'post'>> & { location?: string } = {},
): Promise<Product> {
  const product = await createProduct(api, overrides);
  await addStock(api, product.id, quantity, location ? { location } : {});
  return product;
}

/** A customer address (1 Main St, Springfield, US) with any field overridden. */
export function customerAddress(overrides: Partial<RequestOf<'/customers/{id}/addresses', 'post'>> = {}): RequestOf<'/customers/{id}/addresses', 'post'> {
  return { line1: '1 Main St', city: 'Springfield', country: 'US', ...overrides };
}

/** A customer (Ada Lovelace) with a random e-mail address. */
export async function createCustomer(api: TypedApi, overrides: Partial<RequestOf<'/customers', 'post'>> = {}): Promise<Customer> {
  const body = { email: `buyer-${randomUUID().slice(0, 8)}@example.test`, first_name: 'Ada', last_name: 'Lovelace', ...overrides };
  return created('customer', await api.post('/customers', { body }));
}

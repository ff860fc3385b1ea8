import { startTestApp, type TestApp } from './app';
import type { TenantFixture } from './factories';
import { addStock, createCustomer, createLocation, createProduct, signUpShop } from './fixtures';
import { eventsOfType } from './observe';
import { typedApi, type RequestOf, type TypedApi } from './typed-api';

export const ADDRESS = { first_name: 'Ada', last_name: 'Lovelace', line1: '1 Main St', city: 'London', postal_code: 'N1', country: 'GB' };

type ProductFields = Partial<RequestOf<'/products', 'post'>>;

/**
 * The shop the orders e2e files sell from: a tenant with raised rate limits and one location
 * (`MAIN`), a customer to order for, another tenant to prove isolation, and the calls the tests repeat.
 */
export class OrderShop {
  shop: TenantFixture;
  other: TenantFixture;
  api: TypedApi;
  locationId: string;
  customerId: string;

  constructor(private readonly t: TestApp) {}

  get token(): string {
    return this.shop.accessToken;
  }
  get tenantId(): string {
    return this.shop.tenantId;
  }
  get ownerId(): string {
    return this.shop.ownerId;
  }

  async setUp(): Promise<this> {
    this.shop = await signUpShop(this.t.http, 'Orders shop');
    this.other = await signUpShop(this.t.http, 'Other shop');
    this.api = typedApi(this.t.http, this.shop.accessToken);
    this.locationId = (await createLocation(this.api, { name: 'Main', code: 'MAIN' })).id;
    this.customerId = (await createCustomer(this.api)).id;
    return this;
  }

  /** A product with `quantity` units at the shop's location. */
  async stocked(quantity: number, fields: ProductFields = {}): Promise<string> {
    const id = (await createProduct(this.api, fields)).id;
    await addStock(this.api, id, quantity, { location: this.locationId });
    return id;
  }

  /**
   * POST /orders for the shop's customer to the default address; the body is not held to the
   * schema so that tests can send what the contract refuses.
   */
  createOrder(body: Record<string, unknown>, token = this.token, headers: Record<string, string> = {}) {
    return this.api.as(token).send('post', '/orders', { body: { customer_id: this.customerId, shipping_address: ADDRESS, ...body }, headers });
  }

  /** A created order of `quantity` units of one product. */
  async order(productId: string, quantity = 1, fields: Record<string, unknown> = {}) {
    const res = await this.createOrder({ items: [{ product_id: productId, quantity }], ...fields });
    if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  /** PATCH /orders/{id}/status (any status string: the machine's refusals are under test). */
  setStatus(id: string, status: string, note?: string, token = this.token) {
    return this.api.as(token).send('patch', '/orders/{id}/status', { path: { id }, body: { status, ...(note ? { note } : {}) } });
  }

  async inventory(productId: string) {
    const res = await this.api.get('/inventory/{product_id}', { path: { product_id: productId } });
    if (res.status !== 200) throw new Error(`inventory: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  }

  events(type: string, token = this.token) {
    return eventsOfType(this.api.as(token), type);
  }
}

/** The app and a set-up OrderShop, with the shop's typed client, owner token and customer at hand. */
export async function startOrderShop(): Promise<{ t: TestApp; shop: OrderShop; api: TypedApi; token: string; customerId: string }> {
  const t = await startTestApp();
  const shop = await new OrderShop(t).setUp();
  return { t, shop, api: shop.api, token: shop.token, customerId: shop.customerId };
}

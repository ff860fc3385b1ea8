import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http-client';
import type { TenantFixture } from './factories';

export interface CustomerFixture {
  id: string;
  email: string;
}

export interface CustomerLoginFixture {
  userId: string;
  email: string;
  password: string;
  /** A live-mode access token of the `customer` user. */
  accessToken: string;
}

/** A customer record with a unique e-mail address. */
export async function createCustomer(http: HttpClient, shop: TenantFixture, firstName = 'Ada'): Promise<CustomerFixture> {
  const email = `client-${randomUUID()}@example.test`;
  const res = await http.post('/api/v1/customers', { email, first_name: firstName, last_name: 'Client' }, { token: shop.accessToken });
  if (res.status !== 201) throw new Error(`customer failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, email };
}

/** A `customer` user linked to `customerId`, logged in for live mode (the client portal's login). */
export async function customerLogin(http: HttpClient, shop: TenantFixture, customerId: string): Promise<CustomerLoginFixture> {
  const email = `portal-${randomUUID()}@example.test`;
  const password = 'portal-pass-123';
  const user = await http.post('/api/v1/users', { email, password, role: 'customer', customer_id: customerId }, { token: shop.accessToken });
  if (user.status !== 201) throw new Error(`customer user failed: ${user.status} ${JSON.stringify(user.body)}`);
  const login = await http.post('/api/v1/auth/login', { email, password, tenant_id: shop.tenantId });
  if (login.status !== 200) throw new Error(`customer login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return { userId: user.body.data.id, email, password, accessToken: login.body.data.access_token };
}

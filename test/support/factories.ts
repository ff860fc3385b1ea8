import { randomUUID } from 'node:crypto';
import type { HttpClient } from './http-client';

export interface TenantFixture {
  tenantId: string;
  ownerId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** A fresh tenant through the public sign-up route: every test file works in its own tenant. */
export async function signUpTenant(http: HttpClient, name = 'Test shop'): Promise<TenantFixture> {
  const email = `owner-${randomUUID()}@example.test`;
  const password = 'correct-horse-battery';
  const res = await http.post('/api/v1/tenants', { name, email, password });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    tenantId: res.body.data.tenant.id,
    ownerId: res.body.data.user.id,
    email,
    password,
    accessToken: res.body.data.access_token,
    refreshToken: res.body.data.refresh_token,
  };
}

export async function createApiKey(
  http: HttpClient,
  ownerToken: string,
  body: { name?: string; mode?: 'live' | 'test'; access?: 'read_only' | 'read_write'; scopes?: string[] } = {},
): Promise<{ id: string; secret: string }> {
  const res = await http.post('/api/v1/api-keys', { name: 'test key', ...body }, { token: ownerToken });
  if (res.status !== 201) throw new Error(`api key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.data.id, secret: res.body.data.secret };
}

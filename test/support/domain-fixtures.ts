import { randomUUID } from 'node:crypto';
import type { TestApp } from './app';
import { createApiKey, signUpTenant, type TenantFixture } from './factories';

export const TEST_CARD = { number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };

export interface DomainShop {
  tenant: TenantFixture;
  /** A ck_test_ key: domains in test mode use the sandbox registrar. */
  key: string;
  customer(name: string): Promise<string>;
}

/** A fresh tenant with a test-mode key, for the domains e2e files. */
export async function domainShop(t: TestApp, name = 'Domains shop'): Promise<DomainShop> {
  const tenant = await signUpTenant(t.http, name);
  const key = (await createApiKey(t.http, tenant.accessToken, { mode: 'test' })).secret;
  return {
    tenant,
    key,
    async customer(first: string) {
      const res = await t.http.post('/api/v1/customers', { email: `${first}-${randomUUID().slice(0, 8)}@example.test`, first_name: first, last_name: 'Domains' }, { token: key });
      if (res.status !== 201) throw new Error(`customer failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data.id as string;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../src/app.factory';
import { resetConfigCache } from '../src/config/config';
import type { Schemas } from '../src/platform/openapi/schemas';

/** A success answer of the API as the benches read it: `data` of the named schema. */
export interface Answer<Name extends keyof Schemas> {
  data: Schemas[Name];
}

export interface BenchApp {
  app: NestFastifyApplication;
  base: string;
  tenantId: string;
  ownerToken: string;
  apiKey: string;
}

/** The real API on a free port, with a fresh tenant and a read-write API key. */
export async function startBenchApp(options: CreateAppOptions = {}): Promise<BenchApp> {
  resetConfigCache();
  const app = await createApp(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const post = <T>(path: string, body: object, token?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<T>);
  const signUp = await post<Answer<'SignUpResult'>>('/api/v1/tenants', { name: 'Bench', email: `bench-${randomUUID()}@example.test`, password: 'bench-password' });
  const key = await post<Answer<'ApiKeyWithSecret'>>('/api/v1/api-keys', { name: 'bench' }, signUp.data.access_token);
  return { app, base, tenantId: signUp.data.tenant.id, ownerToken: signUp.data.access_token, apiKey: key.data.secret };
}

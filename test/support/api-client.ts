import type { AddressInfo } from 'node:net';
import { createApiClient, type ApiClient, type ApiClientOptions } from '../../packages/client/src';
import type { TestApp } from './app';
import { recordExchange } from './example-recorder';
import { assertMatchesSpec } from './openapi-validator';

/** Makes the test app listen on a free port of 127.0.0.1 and answers its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * fetch that checks every response against openapi/openapi.yaml before the client sees it, like
 * test/support/http-client.ts does for supertest: a client test cannot skip the contract either.
 */
export async function specCheckedFetch(request: Request): Promise<Response> {
  const requestText = request.body ? await request.clone().text() : '';
  const response = await fetch(request);
  const text = await response.clone().text();
  const url = new URL(request.url);
  const contentType = response.headers.get('content-type') ?? '';
  const body = contentType.includes('json') && text ? JSON.parse(text) : text;
  const headers = Object.fromEntries(response.headers.entries());
  assertMatchesSpec(request.method, url.pathname + url.search, { status: response.status, headers, body, text });
  recordExchange({
    method: request.method, path: url.pathname + url.search, status: response.status, contentType,
    requestBody: requestText ? JSON.parse(requestText) : undefined, responseBody: body,
  });
  return response;
}

/** The typed client of packages/client against the listening test app, every answer checked against the spec. */
export function apiClient(baseUrl: string, options: Omit<ApiClientOptions, 'baseUrl' | 'fetch'> = {}): ApiClient {
  return createApiClient({ baseUrl, fetch: specCheckedFetch, ...options });
}

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { recordExchange } from './example-recorder';
import { assertMatchesSpec } from './openapi-validator';

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** A raw string body sent as-is (for malformed JSON tests). */
  rawBody?: string;
}

export type Res = request.Response;

/**
 * HTTP client for e2e tests: every response it returns has already been validated against
 * openapi/openapi.yaml (status, declared headers, body), so no test can skip that check.
 */
export class HttpClient {
  constructor(private readonly app: NestFastifyApplication) {}

  get(path: string, options: CallOptions = {}) {
    return this.call('GET', path, undefined, options);
  }
  post(path: string, body?: unknown, options: CallOptions = {}) {
    return this.call('POST', path, body, options);
  }
  put(path: string, body?: unknown, options: CallOptions = {}) {
    return this.call('PUT', path, body, options);
  }
  patch(path: string, body?: unknown, options: CallOptions = {}) {
    return this.call('PATCH', path, body, options);
  }
  delete(path: string, options: CallOptions = {}) {
    return this.call('DELETE', path, undefined, options);
  }

  async call(method: string, path: string, body: unknown, options: CallOptions = {}): Promise<Res> {
    const query = Object.entries(options.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    const url = query ? `${path}?${query}` : path;
    let req = request(this.app.getHttpServer())[method.toLowerCase() as 'get'](url);
    if (options.token) req = req.set('Authorization', `Bearer ${options.token}`);
    for (const [k, v] of Object.entries(options.headers ?? {})) req = req.set(k, v);
    if (options.rawBody !== undefined) req = req.set('Content-Type', 'application/json').send(options.rawBody);
    else if (body !== undefined) req = req.send(body as object);
    const res = await req;
    assertMatchesSpec(method, url, res);
    recordExchange({
      method, path: url, status: res.status, contentType: String(res.headers['content-type'] ?? ''),
      requestBody: options.rawBody === undefined ? body : undefined,
      responseBody: String(res.headers['content-type'] ?? '').includes('json') ? res.body : res.text,
    });
    return res;
  }
}

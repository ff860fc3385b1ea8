import createFetchClient, { type Client, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import { ApiError } from './errors';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export const API_PREFIX = '/api/v1';

/** The spec's `/api/v1/…` paths without the prefix: `client.get('/products')`. */
export type ApiPaths = { [K in keyof paths as K extends `${typeof API_PREFIX}${infer Rest}` ? Rest : never]: paths[K] };
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Paths that have an operation for `M` (openapi-typescript marks the others `?: never`). */
export type PathsWithMethod<M extends HttpMethod> = {
  [P in keyof ApiPaths]: ApiPaths[P] extends { [K in M]: unknown } ? P : never;
}[keyof ApiPaths];

/** Per-call options on top of openapi-fetch's (`params`, `body`, `headers`, …). */
export interface CallOptions {
  /** Sent as `Idempotency-Key` on POST and PATCH; a random UUID per call when absent. */
  idempotencyKey?: string;
}
type Init<P extends keyof ApiPaths, M extends HttpMethod> = MaybeOptionalInit<ApiPaths[P], M>;
/** The second argument is optional exactly when the operation needs no parameters and no body. */
type InitArgs<I> = undefined extends I ? [init?: I & CallOptions] : [init: I & CallOptions];
type Success<P extends keyof ApiPaths, M extends HttpMethod, I> = NonNullable<
  Extract<FetchResponse<ApiPaths[P][M] & Record<string | number, any>, I, 'application/json'>, { error?: never }>['data']
>;
/** `{data, meta}` → `data`; a 204 → `undefined`. */
export type ResultOf<P extends keyof ApiPaths, M extends HttpMethod, I = Init<P, M>> = [Success<P, M, I>] extends [never]
  ? undefined
  : Success<P, M, I> extends { data: infer D }
    ? D
    : Success<P, M, I>;
/** GET paths that answer a list (`data` is an array). */
export type ListPaths = { [P in PathsWithMethod<'get'>]: ResultOf<P, 'get'> extends readonly unknown[] ? P : never }[PathsWithMethod<'get'>];
export type ItemOf<P extends ListPaths> = ResultOf<P, 'get'> extends readonly (infer T)[] ? T : never;

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
}

export interface ApiClientOptions {
  /** Where the API runs, without `/api/v1`: `https://api.example.com`. */
  baseUrl: string;
  /** An API key (`ck_live_…` / `ck_test_…`): sent as is, never refreshed. */
  apiKey?: string;
  /** A user's tokens (from sign-up or login): the access token is refreshed on a 401 with the refresh token. */
  tokens?: Tokens;
  /** Called with every new pair (after login or a refresh), e.g. to store it. */
  onTokens?: (tokens: Required<Tokens>) => void;
  /** The fetch to use (tests pass a fake; defaults to the global fetch). */
  fetch?: (request: Request) => Promise<Response>;
  /** Idempotency keys for calls that do not name one; defaults to `crypto.randomUUID()`. */
  newIdempotencyKey?: () => string;
}

const WRITES = new Set(['POST', 'PATCH']);
const AUTH_ROUTES = [`${API_PREFIX}/auth/login`, `${API_PREFIX}/auth/refresh`, `${API_PREFIX}/tenants`];

/**
 * A typed client of the Commerce & Billing API: `get`/`post`/`put`/`patch`/`delete` take the
 * spec's paths (without `/api/v1`) and answer the unwrapped `data`; a non-2xx answer throws
 * `ApiError`. It sends the credential, adds an `Idempotency-Key` to every POST and PATCH, refreshes
 * an expired user token once and retries (concurrent 401s share one refresh), and `list()` walks a
 * list page by page with `cursor`. `raw` is the underlying openapi-fetch client (headers, status).
 */
export class ApiClient {
  readonly raw: Client<ApiPaths, 'application/json'>;
  private tokens?: Tokens;
  private readonly apiKey?: string;
  private refreshing?: Promise<boolean>;
  private readonly baseFetch: (request: Request) => Promise<Response>;
  private readonly apiBase: string;

  constructor(private readonly options: ApiClientOptions) {
    this.apiBase = options.baseUrl.replace(/\/+$/, '') + API_PREFIX;
    this.apiKey = options.apiKey;
    this.tokens = options.tokens;
    this.baseFetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.raw = createFetchClient<ApiPaths, 'application/json'>({ baseUrl: this.apiBase, fetch: (request) => this.send(request) });
  }

  get currentTokens(): Tokens | undefined {
    return this.tokens;
  }

  setTokens(tokens: Tokens | undefined): void {
    this.tokens = tokens;
  }

  get<P extends PathsWithMethod<'get'>, I extends Init<P, 'get'>>(path: P, ...init: InitArgs<I>): Promise<ResultOf<P, 'get', I>> {
    return this.call('GET', path, init[0]);
  }
  post<P extends PathsWithMethod<'post'>, I extends Init<P, 'post'>>(path: P, ...init: InitArgs<I>): Promise<ResultOf<P, 'post', I>> {
    return this.call('POST', path, init[0]);
  }
  put<P extends PathsWithMethod<'put'>, I extends Init<P, 'put'>>(path: P, ...init: InitArgs<I>): Promise<ResultOf<P, 'put', I>> {
    return this.call('PUT', path, init[0]);
  }
  patch<P extends PathsWithMethod<'patch'>, I extends Init<P, 'patch'>>(path: P, ...init: InitArgs<I>): Promise<ResultOf<P, 'patch', I>> {
    return this.call('PATCH', path, init[0]);
  }
  delete<P extends PathsWithMethod<'delete'>, I extends Init<P, 'delete'>>(path: P, ...init: InitArgs<I>): Promise<ResultOf<P, 'delete', I>> {
    return this.call('DELETE', path, init[0]);
  }

  /**
   * Every item of a list, fetched page by page in keyset mode: the first request as given, then
   * `cursor=<meta.next_cursor>` until `has_more` is false. Stop early with `break`.
   */
  async *list<P extends ListPaths, I extends Init<P, 'get'>>(path: P, ...init: InitArgs<I>): AsyncGenerator<ItemOf<P>, void, undefined> {
    const first = (init[0] ?? {}) as { params?: { query?: Record<string, unknown>; path?: unknown } } & CallOptions;
    let query: Record<string, unknown> = { ...(first.params?.query ?? {}) };
    for (;;) {
      const page = await this.request('GET', path, { ...first, params: { ...first.params, query } });
      const body = page as { data: ItemOf<P>[]; meta: { has_more?: boolean; next_cursor?: string | null } };
      for (const item of body.data) yield item;
      if (!body.meta.has_more || !body.meta.next_cursor) return;
      const { page: _offsetPage, ...rest } = query;
      query = { ...rest, cursor: body.meta.next_cursor };
    }
  }

  /** Logs a user in and keeps the pair for later calls (and refreshes). */
  async login(body: Schemas['LoginRequest']): Promise<Schemas['TokenPair']> {
    const pair = (await this.call('POST', '/auth/login', { body })) as Schemas['TokenPair'];
    this.acceptTokens(pair);
    return pair;
  }

  private async call(method: string, path: string, init: unknown): Promise<any> {
    const body = (await this.request(method, path, init)) as { data?: unknown } | undefined;
    return body?.data;
  }

  /** One call through openapi-fetch; the whole body of a 2xx, or an ApiError. */
  private async request(method: string, path: string, init: unknown): Promise<unknown> {
    const { idempotencyKey, headers, ...rest } = (init ?? {}) as CallOptions & { headers?: Record<string, string> };
    const merged = { ...(headers ?? {}), ...(idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}) };
    const { data, error, response } = await (this.raw.request as (m: string, p: string, i: unknown) => Promise<{ data?: unknown; error?: unknown; response: Response }>)(
      method.toLowerCase(),
      path,
      { ...rest, headers: merged },
    );
    if (!response.ok) throw ApiError.fromResponse(response, error);
    return data;
  }

  /** The fetch under openapi-fetch: credential, idempotency key, one refresh-and-retry on 401. */
  private async send(request: Request): Promise<Response> {
    const headers = new Headers(request.headers);
    if (WRITES.has(request.method) && !headers.has('idempotency-key')) {
      headers.set('Idempotency-Key', this.options.newIdempotencyKey?.() ?? globalThis.crypto.randomUUID());
    }
    const usedToken = this.credential();
    if (usedToken && !headers.has('authorization')) headers.set('Authorization', `Bearer ${usedToken}`);
    const prepared = new Request(request, { headers });
    const canRefresh = !this.apiKey && !!this.tokens?.refreshToken && !AUTH_ROUTES.some((r) => new URL(prepared.url).pathname.endsWith(r));
    const retry = canRefresh ? prepared.clone() : undefined;
    const response = await this.baseFetch(prepared);
    if (response.status !== 401 || !retry) return response;
    if (!(await this.refreshOnce(usedToken))) return response;
    retry.headers.set('Authorization', `Bearer ${this.credential()}`);
    return this.baseFetch(retry);
  }

  private credential(): string | undefined {
    return this.apiKey ?? this.tokens?.accessToken;
  }

  /**
   * One refresh for every request that saw a 401 meanwhile; a request whose token was already
   * replaced just retries with the new one. Two clients (two tabs) refreshing the same token at
   * once both get the successor pair: the server answers the same pair within its grace window.
   */
  private refreshOnce(staleToken: string | undefined): Promise<boolean> {
    if (this.tokens?.accessToken !== staleToken) return Promise.resolve(true);
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken) return false;
    const response = await this.baseFetch(
      new Request(`${this.apiBase}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': this.options.newIdempotencyKey?.() ?? globalThis.crypto.randomUUID() },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    if (!response.ok) return false;
    const body = (await response.json()) as { data: Schemas['TokenPair'] };
    this.acceptTokens(body.data);
    return true;
  }

  private acceptTokens(pair: Schemas['TokenPair']): void {
    this.tokens = { accessToken: pair.access_token, refreshToken: pair.refresh_token };
    this.options.onTokens?.({ accessToken: pair.access_token, refreshToken: pair.refresh_token });
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  return new ApiClient(options);
}

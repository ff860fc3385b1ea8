import { ApiError, createApiClient, type Schemas } from '../src';

interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** A fetch that records each request and answers with `respond`. */
function fakeFetch(respond: (seen: Seen, index: number) => { status: number; body?: unknown; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const text = await request.text();
    const entry = { method: request.method, url: new URL(request.url), headers: request.headers, body: text ? JSON.parse(text) : undefined };
    seen.push(entry);
    const answer = respond(entry, seen.length - 1);
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { 'content-type': 'application/json', 'x-request-id': `req_${seen.length}`, ...answer.headers } });
  };
  return { fetch, seen };
}

const meta = { request_id: 'req_1', api_version: 'v1', livemode: false };
const product = (id: string): Partial<Schemas['Product']> => ({ id, name: `Product ${id}`, sku: id.toUpperCase(), price: 100 });
const pair = (n: number): Schemas['TokenPair'] => ({ access_token: `access-${n}`, refresh_token: `refresh-${n}`, token_type: 'Bearer', expires_in: 3600 });

describe('ApiClient', () => {
  it('sends the API key to /api/v1/<path>, unwraps {data} and keeps the spec’s types', async () => {
    const { fetch, seen } = fakeFetch(() => ({ status: 200, body: { data: [product('prod_1')], meta: { ...meta, per_page: 50, has_next: false, has_previous: false, next_cursor: null, has_more: false } } }));
    const client = createApiClient({ baseUrl: 'https://api.example.com/', apiKey: 'ck_test_abc', fetch });
    const products: Schemas['Product'][] = await client.get('/products', { params: { query: { status: 'active', per_page: 10 } } });
    expect(products.map((p) => p.id)).toEqual(['prod_1']);
    expect(seen[0].url.toString()).toBe('https://api.example.com/api/v1/products?status=active&per_page=10');
    expect(seen[0].headers.get('authorization')).toBe('Bearer ck_test_abc');
    expect(seen[0].headers.get('idempotency-key')).toBeNull();
    // Compile-time checks: a path the spec does not have, or a missing required body, does not build.
    // @ts-expect-error no such path
    void (() => client.get('/no-such-route'));
    // @ts-expect-error POST /products needs a body
    void (() => client.post('/products'));
  });

  it('adds a fresh Idempotency-Key to every POST and PATCH unless the call names one', async () => {
    const { fetch, seen } = fakeFetch((s) => ({ status: s.method === 'POST' ? 201 : 200, body: { data: product('prod_1'), meta } }));
    let n = 0;
    const client = createApiClient({ baseUrl: 'http://localhost:3000', apiKey: 'ck_test_abc', fetch, newIdempotencyKey: () => `key-${++n}` });
    const created = await client.post('/products', { body: { name: 'Lamp', sku: 'LAMP', price: 2500 } });
    expect(created.id).toBe('prod_1');
    await client.post('/products', { body: { name: 'Lamp', sku: 'LAMP', price: 2500 } });
    await client.patch('/products/{id}', { params: { path: { id: 'prod_1' } }, body: { price: 2600 }, idempotencyKey: 'mine' });
    expect(seen.map((s) => s.headers.get('idempotency-key'))).toEqual(['key-1', 'key-2', 'mine']);
    expect(seen[2].url.pathname).toBe('/api/v1/products/prod_1');
    expect(seen[2].body).toEqual({ price: 2600 });

    const defaults = createApiClient({ baseUrl: 'http://localhost:3000', apiKey: 'k', fetch });
    await defaults.post('/products', { body: { name: 'Lamp', sku: 'LAMP', price: 2500 } });
    expect(seen[3].headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('throws ApiError with status, code, message, field, details and request_id', async () => {
    const error = { code: 'validation_error', message: 'price must be an integer', field: 'price', details: [{ field: 'price', message: 'must be an integer' }], request_id: 'req_abc' };
    const { fetch } = fakeFetch(() => ({ status: 422, body: { error, meta: { request_id: 'req_abc' } } }));
    const client = createApiClient({ baseUrl: 'http://localhost:3000', apiKey: 'k', fetch });
    const thrown = await client.post('/products', { body: { name: 'x', sku: 'x', price: 1 } }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 422, code: 'validation_error', message: 'price must be an integer', field: 'price', requestId: 'req_abc', request_id: 'req_abc' });
    expect((thrown as ApiError).details).toEqual(error.details);
  });

  it('turns a body that is not the error envelope into code unexpected_response', async () => {
    const client = createApiClient({ baseUrl: 'http://x', apiKey: 'k', fetch: async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }) });
    await expect(client.get('/products')).rejects.toMatchObject({ status: 502, code: 'unexpected_response' });
  });

  it('answers undefined for a 204', async () => {
    const { fetch, seen } = fakeFetch(() => ({ status: 204 }));
    const client = createApiClient({ baseUrl: 'http://x', apiKey: 'k', fetch });
    await expect(client.delete('/products/{id}', { params: { path: { id: 'prod_1' } } })).resolves.toBeUndefined();
    expect(seen[0].method).toBe('DELETE');
  });

  it('on a 401 refreshes once for all concurrent calls, retries each with the new token, and reports the pair', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.url.pathname.endsWith('/auth/refresh')) return { status: 200, body: { data: pair(2), meta } };
      return s.headers.get('authorization') === 'Bearer access-2' ? { status: 200, body: { data: product('prod_1'), meta } } : { status: 401, body: { error: { code: 'authentication_error', message: 'expired', request_id: 'r' }, meta: { request_id: 'r' } } };
    });
    const stored: unknown[] = [];
    const client = createApiClient({ baseUrl: 'http://x', tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' }, fetch, onTokens: (t) => stored.push(t) });
    const results = await Promise.all([1, 2, 3].map(() => client.get('/products/{id}', { params: { path: { id: 'prod_1' } } })));
    expect(results.map((r) => r.id)).toEqual(['prod_1', 'prod_1', 'prod_1']);
    const refreshes = seen.filter((s) => s.url.pathname === '/api/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].body).toEqual({ refresh_token: 'refresh-1' });
    expect(stored).toEqual([{ accessToken: 'access-2', refreshToken: 'refresh-2' }]);
    expect(client.currentTokens).toEqual({ accessToken: 'access-2', refreshToken: 'refresh-2' });
    expect(seen).toHaveLength(7); // 3 × 401, 1 refresh, 3 retries
  });

  it('retries a POST after a refresh with its body and the same Idempotency-Key', async () => {
    const { fetch, seen } = fakeFetch((s) => {
      if (s.url.pathname.endsWith('/auth/refresh')) return { status: 200, body: { data: pair(2), meta } };
      return s.headers.get('authorization') === 'Bearer access-2' ? { status: 201, body: { data: product('prod_9'), meta } } : { status: 401, body: {} };
    });
    const client = createApiClient({ baseUrl: 'http://x', tokens: { accessToken: 'access-1', refreshToken: 'refresh-1' }, fetch });
    await client.post('/products', { body: { name: 'Lamp', sku: 'LAMP', price: 2500 }, idempotencyKey: 'k-1' });
    const posts = seen.filter((s) => s.url.pathname === '/api/v1/products');
    expect(posts.map((p) => [p.headers.get('idempotency-key'), p.body])).toEqual([
      ['k-1', { name: 'Lamp', sku: 'LAMP', price: 2500 }],
      ['k-1', { name: 'Lamp', sku: 'LAMP', price: 2500 }],
    ]);
  });

  it('gives up after one failed refresh (401 ApiError), and never refreshes an API key', async () => {
    const { fetch, seen } = fakeFetch(() => ({ status: 401, body: { error: { code: 'authentication_error', message: 'revoked', request_id: 'r' }, meta: { request_id: 'r' } } }));
    const user = createApiClient({ baseUrl: 'http://x', tokens: { accessToken: 'a', refreshToken: 'r' }, fetch });
    await expect(user.get('/auth/me')).rejects.toMatchObject({ status: 401, code: 'authentication_error' });
    expect(seen.map((s) => s.url.pathname)).toEqual(['/api/v1/auth/me', '/api/v1/auth/refresh']);
    const key = createApiClient({ baseUrl: 'http://x', apiKey: 'ck_live_x', fetch });
    await expect(key.get('/auth/me')).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(3);
  });

  it('login keeps the pair for later calls', async () => {
    const { fetch, seen } = fakeFetch((s) => (s.url.pathname.endsWith('/auth/login') ? { status: 200, body: { data: pair(5), meta } } : { status: 200, body: { data: { kind: 'user' }, meta } }));
    const client = createApiClient({ baseUrl: 'http://x', fetch });
    await client.login({ email: 'a@example.test', password: 'secret-secret' });
    await client.get('/auth/me');
    expect(seen[0].headers.get('authorization')).toBeNull();
    expect(seen[1].headers.get('authorization')).toBe('Bearer access-5');
  });

  it('list() walks the pages with cursor until has_more is false', async () => {
    const pages: Record<string, { ids: string[]; next: string | null }> = {
      '': { ids: ['prod_1', 'prod_2'], next: 'c1' },
      c1: { ids: ['prod_3', 'prod_4'], next: 'c2' },
      c2: { ids: ['prod_5'], next: null },
    };
    const { fetch, seen } = fakeFetch((s) => {
      const page = pages[s.url.searchParams.get('cursor') ?? ''];
      return { status: 200, body: { data: page.ids.map(product), meta: { ...meta, per_page: 2, has_next: !!page.next, has_previous: false, next_cursor: page.next, has_more: !!page.next } } };
    });
    const client = createApiClient({ baseUrl: 'http://x', apiKey: 'k', fetch });
    const ids: string[] = [];
    for await (const p of client.list('/products', { params: { query: { per_page: 2, page: 1, status: 'active' } } })) ids.push(p.id);
    expect(ids).toEqual(['prod_1', 'prod_2', 'prod_3', 'prod_4', 'prod_5']);
    expect(seen.map((s) => s.url.search)).toEqual(['?per_page=2&page=1&status=active', '?per_page=2&status=active&cursor=c1', '?per_page=2&status=active&cursor=c2']);

    // Stopping early fetches no further page.
    for await (const p of client.list('/products')) if (p.id === 'prod_1') break;
    expect(seen).toHaveLength(4);
  });
});

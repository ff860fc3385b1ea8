import type { components, paths } from '../../src/generated/openapi';
import type { CallOptions, HttpClient, Res } from './http-client';

/**
 * Typed access to the API for e2e tests: paths, path and query parameters, request bodies and
 * success bodies come from the generated `paths` of src/generated/openapi.ts (the same types
 * openapi-fetch and packages/client use), so `res.body.data` is an `OrderDetail`, not `any`.
 * Calls go through HttpClient: the in-process app, and every response checked against the spec.
 *
 *   const api = typedApi(t.http, token);
 *   const res = await api.get('/orders/{id}', { path: { id } });
 *   res.body.data.status_history  // typed
 *
 * Bodies a test sends on purpose against the contract (unknown fields, wrong types) go through
 * the untyped `t.http` instead: the typed client would not compile them.
 */

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
const PREFIX = '/api/v1';

/** The spec's `/api/v1/…` paths without the prefix, as packages/client spells them. */
type Api = { [K in keyof paths as K extends `${typeof PREFIX}${infer Rest}` ? Rest : never]: paths[K] };
/** Paths with an operation for `M` (openapi-typescript marks the others `?: never`). */
export type ApiPath<M extends HttpMethod> = { [P in keyof Api]: Api[P] extends { [K in M]: object } ? P : never }[keyof Api];
type Operation<P, M extends HttpMethod> = P extends keyof Api ? (Api[P] extends { [K in M]: infer O } ? O : never) : never;

type PathParams<O> = O extends { parameters: { path: infer X } } ? X : never;
type QueryParams<O> = O extends { parameters: { query?: infer X } } ? X : never;
type RequestBody<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type Json<R> = R extends { content: { 'application/json': infer C } } ? C : never;
type SuccessStatus = 200 | 201 | 202;
type SuccessBody<O> = O extends { responses: infer R } ? { [S in keyof R & SuccessStatus]: Json<R[S]> }[keyof R & SuccessStatus] : never;

export type ErrorBody = components['schemas']['Error'];
export type Schemas = components['schemas'];
/** One entry of an error's `details`. */
export type ErrorDetail = NonNullable<ErrorBody['error']['details']>[number];

/** The success body of `M P` (a `{data, meta}` envelope for most routes). */
export type BodyOf<P extends ApiPath<M>, M extends HttpMethod> = SuccessBody<Operation<P, M>>;
/** `data` of the success envelope of `M P`: `DataOf<'/orders/{id}', 'get'>` is `OrderDetail`. */
export type DataOf<P extends ApiPath<M>, M extends HttpMethod> = BodyOf<P, M> extends { data: infer D } ? D : never;
/** A response of `M P` as TypedApi answers it. */
export type ResOf<P extends ApiPath<M>, M extends HttpMethod> = TypedRes<Operation<P, M>>;
/** The query parameters of `M P`. */
export type QueryOf<P extends ApiPath<M>, M extends HttpMethod> = NonNullable<QueryParams<Operation<P, M>>>;
/** The JSON request body of `M P`. */
export type RequestOf<P extends ApiPath<M>, M extends HttpMethod> = RequestBody<Operation<P, M>>;

export interface TypedInit<O> extends Omit<CallOptions, 'query' | 'rawBody'> {
  path?: PathParams<O>;
  query?: QueryParams<O>;
  body?: RequestBody<O>;
}

/**
 * A response as HttpClient answers it, with `body` typed as the operation's success body and the
 * error envelope: read `body.data` after asserting a 2xx status and `body.error` after a 4xx one.
 */
export type TypedRes<O> = Omit<Res, 'body'> & {
  body: ([SuccessBody<O>] extends [never] ? unknown : SuccessBody<O>) & { error: TestError };
};
/** The error of the envelope, `details` read as present: a test asserting on it has asserted the status first. */
type TestError = Omit<ErrorBody['error'], 'details'> & { details: NonNullable<ErrorBody['error']['details']> };

export class TypedApi {
  constructor(
    private readonly http: HttpClient,
    /** The credential sent when a call names none. */
    readonly token?: string,
  ) {}

  /** The same client acting with another credential (another tenant, a scoped key, a portal user). */
  as(token: string | undefined): TypedApi {
    return new TypedApi(this.http, token);
  }

  get<P extends ApiPath<'get'>>(path: P, init: TypedInit<Operation<P, 'get'>> = {}) {
    return this.call('get', path, init);
  }
  post<P extends ApiPath<'post'>>(path: P, init: TypedInit<Operation<P, 'post'>> = {}) {
    return this.call('post', path, init);
  }
  put<P extends ApiPath<'put'>>(path: P, init: TypedInit<Operation<P, 'put'>> = {}) {
    return this.call('put', path, init);
  }
  patch<P extends ApiPath<'patch'>>(path: P, init: TypedInit<Operation<P, 'patch'>> = {}) {
    return this.call('patch', path, init);
  }
  delete<P extends ApiPath<'delete'>>(path: P, init: TypedInit<Operation<P, 'delete'>> = {}) {
    return this.call('delete', path, init);
  }

  /**
   * A call whose body and query are not held to the request schema (the response still is typed and
   * checked): for a test that sends what the contract refuses on purpose, e.g. an unknown field or a bad enum.
   */
  send<M extends HttpMethod, P extends ApiPath<M>>(
    method: M,
    path: P,
    init: Omit<TypedInit<Operation<P, M>>, 'body' | 'query'> & { body?: unknown; query?: CallOptions['query'] } = {},
  ) {
    return this.call(method, path, init as TypedInit<Operation<P, M>>);
  }

  private async call<P extends string, M extends HttpMethod>(method: M, path: P, init: TypedInit<Operation<P, M>>): Promise<TypedRes<Operation<P, M>>> {
    const { path: params, query, body, token, headers } = init as TypedInit<unknown> & { path?: Record<string, string>; query?: CallOptions['query'] };
    const url = PREFIX + path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params?.[name];
      if (value === undefined) throw new Error(`${method.toUpperCase()} ${path}: path parameter ${name} is missing`);
      return encodeURIComponent(value);
    });
    const res = await this.http.call(method.toUpperCase(), url, body, { token: token ?? this.token, headers, query });
    return res as TypedRes<Operation<P, M>>;
  }
}

export function typedApi(http: HttpClient, token?: string): TypedApi {
  return new TypedApi(http, token);
}

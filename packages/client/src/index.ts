export { ApiClient, API_PREFIX, createApiClient } from './client';
export type { ApiClientOptions, ApiPaths, CallOptions, HttpMethod, ItemOf, ListPaths, PathsWithMethod, ResultOf, Schemas, Tokens } from './client';
export { ApiError } from './errors';
export type { ErrorCode, FieldIssue } from './errors';
export type { components, paths, webhooks } from './schema';

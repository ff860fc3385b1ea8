/**
 * openapi/openapi.yaml as the spec walkers read it (the response validator, the fuzzer, the example
 * filler, the DTO generator and their tests): the OpenAPI 3.1 parts they touch, typed loosely. Any
 * node may be a `$ref`; `refResolver` follows it. Keywords the walkers do not name stay `unknown`.
 */
import type { HttpMethod } from './typed-api';

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

export interface SpecRef {
  $ref?: string;
}

/** A JSON Schema 2020-12 node. */
export interface SpecSchema extends SpecRef {
  type?: string | string[];
  format?: string;
  description?: string;
  deprecated?: boolean;
  properties?: Record<string, SpecSchema>;
  required?: string[];
  additionalProperties?: SpecSchema | boolean;
  propertyNames?: SpecSchema;
  items?: SpecSchema;
  allOf?: SpecSchema[];
  oneOf?: SpecSchema[];
  anyOf?: SpecSchema[];
  not?: SpecSchema;
  enum?: unknown[];
  const?: unknown;
  examples?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  readOnly?: boolean;
  /** The message the generated DTOs give for the check that defines the value's shape. */
  'x-error-message'?: string;
  [keyword: string]: unknown;
}

export interface SpecExample extends SpecRef {
  summary?: string;
  value?: unknown;
}

export interface SpecMedia {
  schema?: SpecSchema;
  example?: unknown;
  examples?: Record<string, SpecExample>;
}

export interface SpecHeader extends SpecRef {
  required?: boolean;
  description?: string;
  schema?: SpecSchema;
}

export interface SpecParameter extends SpecHeader {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema: SpecSchema;
  explode?: boolean;
}

export interface SpecResponse extends SpecRef {
  description?: string;
  headers?: Record<string, SpecHeader>;
  content?: Record<string, SpecMedia>;
}

export interface SpecOperation {
  operationId: string;
  summary?: string;
  parameters?: SpecParameter[];
  requestBody?: { content?: Record<string, SpecMedia> };
  responses: Record<string, SpecResponse>;
}

export type SpecPathItem = { [M in HttpMethod]?: SpecOperation } & { parameters?: SpecParameter[] };

/** A `webhooks` entry: one POST whose JSON body is the payload. */
export interface SpecWebhook {
  post: SpecOperation & { requestBody: { content: Record<string, SpecMedia> } };
}

export interface SpecDocument {
  paths: Record<string, SpecPathItem>;
  components: {
    schemas: Record<string, SpecSchema>;
    responses: Record<string, SpecResponse>;
    parameters: Record<string, SpecParameter>;
    [section: string]: unknown;
  };
  webhooks: Record<string, SpecWebhook>;
}

/** `resolve(node)`: the node a local `$ref` (`#/components/…`) points at, followed until it is no ref; others as they are. */
export function refResolver(spec: SpecDocument): <T extends SpecRef | undefined>(node: T) => T {
  const resolve = <T extends SpecRef | undefined>(node: T): T => {
    if (typeof node?.$ref !== 'string') return node;
    const keys = node.$ref.slice(2).split('/').map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const target = keys.reduce<unknown>((acc, key) => (isJsonObject(acc) ? acc[key] : undefined), spec);
    return resolve(target as T);
  };
  return resolve;
}

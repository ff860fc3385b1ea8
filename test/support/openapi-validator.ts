import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { loadSpec } from '../../src/platform/openapi/spec-file';
import { refResolver, type SpecDocument, type SpecHeader, type SpecSchema } from './spec-document';

const spec = loadSpec() as unknown as SpecDocument; // walked as a plain JSON document
const resolve = refResolver(spec);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: 'spec' });
const compiled = new Map<string, ValidateFunction>();

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const isHttpMethod = (m: string): m is (typeof HTTP_METHODS)[number] => (HTTP_METHODS as readonly string[]).includes(m);

/** `/api/v1/users/{id}` → a matcher; the template with the most literal segments wins. */
const templates = Object.keys(spec.paths ?? {}).map((template) => {
  const segments = template.split('/');
  const pattern = new RegExp('^' + segments.map((s) => (s.startsWith('{') ? '[^/]+' : escape(s))).join('/') + '$');
  return { template, pattern, literal: segments.filter((s) => !s.startsWith('{')).length };
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function findPathTemplate(path: string): string | undefined {
  const clean = path.split('?')[0];
  return templates.filter((t) => t.pattern.test(clean)).sort((a, b) => b.literal - a.literal)[0]?.template;
}

export interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/**
 * Checks one response against the checked-in spec: the status is declared for the operation,
 * declared headers are present (when required) and valid, and the body matches the schema.
 * Returns the problems; an empty list means the response honours the contract.
 */
export function specProblems(method: string, path: string, res: ResponseLike): string[] {
  const template = findPathTemplate(path);
  const m = method.toLowerCase();
  if (!template) {
    // A path the contract does not have must answer the 404 error envelope, nothing else.
    if (res.status !== 404) return [`${method} ${path}: no path in the spec matches (status ${res.status})`];
    const validate = ajv.getSchema('spec#/components/schemas/Error') ?? ajv.compile({ $ref: 'spec#/components/schemas/Error' });
    const problems = validate(res.body) ? [] : [`404 body: ${ajv.errorsText(validate.errors)}`];
    if (!res.headers['x-request-id']) problems.push('header X-Request-Id is required');
    return problems;
  }
  const operation = isHttpMethod(m) ? spec.paths[template][m] : undefined;
  if (!operation) return [`${method} ${template}: operation not in the spec`];
  const statusKey = operation.responses[String(res.status)] ? String(res.status) : operation.responses.default ? 'default' : undefined;
  if (!statusKey) return [`${method} ${template}: status ${res.status} is not declared (body ${JSON.stringify(res.body)})`];
  const response = resolve(operation.responses[statusKey]);
  const problems: string[] = [];

  for (const [name, headerOrRef] of Object.entries<SpecHeader>(response.headers ?? {})) {
    const header = resolve(headerOrRef);
    const value = res.headers[name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${name} is required`);
      continue;
    }
    const validate = ajv.compile(coerceHeaderSchema(header.schema ?? {}));
    // A header sent several times (Set-Cookie) arrives as a list: each occurrence must match.
    for (const one of [value].flat()) {
      const typed = header.schema?.type === 'integer' || header.schema?.type === 'number' ? Number(one) : one;
      if (!validate(typed)) problems.push(`header ${name}=${one}: ${ajv.errorsText(validate.errors)}`);
    }
  }

  const content = response.content;
  if (!content) {
    const text = res.text ?? '';
    if (text.length > 0) problems.push(`${res.status} declares no body but got ${text.slice(0, 200)}`);
    return problems;
  }
  const contentType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
  if (!content[contentType]) {
    problems.push(`content-type ${contentType} not declared (declared: ${Object.keys(content).join(', ')})`);
    return problems;
  }
  if (!content[contentType].schema || !contentType.includes('json')) return problems;
  const ref = `spec#/${pointer('paths', template, m, 'responses', statusKey)}`;
  const key = `${ref}|${contentType}`;
  let validate = compiled.get(key);
  if (!validate) {
    const base = operation.responses[statusKey].$ref
      ? `spec#${operation.responses[statusKey].$ref.slice(1)}`
      : ref;
    validate = ajv.compile({ $ref: `${base}/content/${pointer(contentType)}/schema` });
    compiled.set(key, validate);
  }
  if (!validate(res.body)) {
    problems.push(`body of ${res.status} ${method} ${template}: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  return problems;
}

function coerceHeaderSchema(schema: SpecSchema): SpecSchema {
  return schema.$ref ? { $ref: `spec#${schema.$ref.slice(1)}` } : schema;
}

/** Throws with every problem when a response breaks the contract. */
export function assertMatchesSpec(method: string, path: string, res: ResponseLike): void {
  const problems = specProblems(method, path, res);
  if (problems.length > 0) throw new Error(`Response breaks openapi.yaml:\n  ${problems.join('\n  ')}`);
}

export function specOperations(): string[] {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '{}')}`),
  );
}

/**
 * Checks one webhook delivery against the spec's `webhooks` entry of its type: the body matches the
 * payload schema and every declared header is present and valid. Returns the problems.
 */
export function webhookProblems(body: string, headers: Record<string, string | string[] | undefined>): string[] {
  const payload: unknown = JSON.parse(body);
  const type = String((payload as { type?: unknown }).type);
  const entry = spec.webhooks?.[type]?.post;
  if (!entry) return [`no webhooks entry for type ${type}`];
  const problems: string[] = [];
  const validate = ajv.compile({ $ref: `spec#/${pointer('webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema')}` });
  if (!validate(payload)) problems.push(`payload of ${type}: ${ajv.errorsText(validate.errors)}`);
  for (const parameter of entry.parameters ?? []) {
    const header = resolve(parameter);
    const value = headers[header.name.toLowerCase()];
    if (value === undefined) {
      if (header.required) problems.push(`header ${header.name} is missing`);
      continue;
    }
    const check = ajv.compile(header.schema);
    if (!check(value)) problems.push(`header ${header.name}=${value}: ${ajv.errorsText(check.errors)}`);
  }
  return problems;
}

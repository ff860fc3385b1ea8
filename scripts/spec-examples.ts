/**
 * Fills the spec's examples from real exchanges recorded by the e2e suite (test/support/example-recorder.ts):
 * each JSON request body, each success response, each shared error response (components/responses) and
 * each webhook payload gets an example under components/examples, referenced from its media type.
 * Only candidates that validate against their schema are used; missing examples are reported.
 * Existing examples are kept unless --force. test/unit/spec-examples.spec.ts validates the result in CI.
 *
 * Usage:
 *   RECORD_SPEC_EXAMPLES=/tmp/examples.jsonl npm run test:e2e -- test/e2e/<files>
 *   node -r ts-node/register/transpile-only scripts/spec-examples.ts /tmp/examples.jsonl [--force]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import type { RecordedExchange } from '../test/support/example-recorder';
import { findPathTemplate } from '../test/support/openapi-validator';
import { isJsonObject, refResolver, type SpecDocument, type SpecMedia } from '../test/support/spec-document';

const [input, flag] = process.argv.slice(2);
if (!input) throw new Error('usage: spec-examples.ts <recorded.jsonl> [--force]');
const force = flag === '--force';
const file = join(__dirname, '..', 'openapi', 'openapi.yaml');
const doc = YAML.parseDocument(readFileSync(file, 'utf8'));
const spec = doc.toJS() as SpecDocument;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('card-number', /^[0-9]{12,19}$/); // Luhn is checked by the API, not here
// Candidates that use deprecated fields (an order item's ignored `price`) are not shown as examples.
const refuseDeprecated = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(refuseDeprecated);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === 'properties' && v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, (s as { deprecated?: boolean }).deprecated ? false : refuseDeprecated(s)]))
        : refuseDeprecated(v),
    ]),
  );
};
ajv.addSchema({ ...(refuseDeprecated(spec) as object), $id: 'spec' });

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const AUTH_PATHS = /^\/api\/v1\/auth\//; // their operations belong to identity: examples go on their schemas
const records: RecordedExchange[] = readFileSync(input, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const http = records.filter((r) => r.method !== 'WEBHOOK').map((r) => ({ ...r, template: findPathTemplate(r.path) }));

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const resolve = refResolver(spec);

/** Readable values: no per-run UUIDs in e-mail addresses, public webhook URLs, lists cut to two items. */
function curate(value: unknown, list = false): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value)
    .replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=@)/g, '')
    // The tests' webhook receivers listen on loopback, which production refuses.
    .replace(/http:\/\/127\.0\.0\.1:\d+\/hooks/g, 'https://hooks.example.com/commerce');
  const curated = JSON.parse(text);
  if (list && Array.isArray(curated?.data)) curated.data = curated.data.slice(0, 2);
  return curated;
}

/** More filled-in fields is a better example, within a size a reader still takes in. */
function score(value: unknown, maxChars: number): number {
  const size = JSON.stringify(value ?? null).length;
  let leaves = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else if (v !== null && v !== undefined) leaves++;
  };
  walk(value);
  return size > maxChars ? -size : leaves;
}

/** A clear error: it names its field, lists one or two details, and says it briefly. */
function errorScore(value: unknown): number {
  const error = (value as { error?: { field?: string; details?: unknown[]; message?: string } }).error ?? {};
  const details = error.details?.length ?? 0;
  return (error.field ? 10 : 0) + (details > 0 && details <= 2 ? 5 : 0) - (error.message?.length ?? 0) / 40;
}

function best(candidates: unknown[], schemaRef: string, maxChars: number, rank = (v: unknown) => score(v, maxChars)): unknown {
  const validate = ajv.compile({ $ref: `spec${schemaRef}` });
  const valid = candidates.filter((c) => c !== undefined && validate(c));
  return valid.sort((a, b) => rank(b) - rank(a))[0];
}

const examples: YAML.YAMLMap = (doc.getIn(['components', 'examples']) as YAML.YAMLMap) ?? new YAML.YAMLMap();
const missing: string[] = [];
let written = 0;

/** `error.code` of a recorded body, when it is the error envelope. */
const errorCode = (body: unknown): string | undefined =>
  isJsonObject(body) && isJsonObject(body.error) && typeof body.error.code === 'string' ? body.error.code : undefined;

function hasExample(media: SpecMedia | undefined): boolean {
  return media?.example !== undefined || media?.examples !== undefined;
}

/** Stores `value` as components/examples/<name> and points the media type (a path in the document) at it. */
function attach(mediaPath: (string | number)[], name: string, summary: string | undefined, value: unknown, key = 'default'): void {
  examples.set(name, doc.createNode({ summary, value }));
  const media = doc.getIn(mediaPath) as YAML.YAMLMap;
  let map = media.get('examples') as YAML.YAMLMap | undefined;
  if (!map || force) {
    map = new YAML.YAMLMap();
    media.set('examples', map);
  }
  map.set(key, doc.createNode({ $ref: `#/components/examples/${name}` }));
  written++;
}

/** On an auth operation the example goes on the component schema (`examples`), which Swagger UI also shows. */
function attachToSchema(schemaRef: string | undefined, value: unknown, label: string): void {
  if (!schemaRef?.startsWith('#/components/schemas/')) return void missing.push(`${label} (inline schema)`);
  const name = schemaRef.split('/').pop()!;
  if (spec.components.schemas[name].examples && !force) return;
  doc.setIn(['components', 'schemas', name, 'examples'], doc.createNode([value]));
  written++;
}

const recordedFor = (method: string, template: string, status?: number) =>
  http.filter((r) => r.method === method.toUpperCase() && r.template === template && (status === undefined || r.status === status));
const textExcerpt = (text: string) => (text.length > 600 ? `${text.slice(0, 600)}\n…` : text);

for (const [template, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op) continue;
    const id = op.operationId as string;
    const auth = AUTH_PATHS.test(template);

    const requestMedia = op.requestBody?.content?.['application/json'];
    if (requestMedia && (force || !hasExample(requestMedia))) {
      const bodies = recordedFor(method, template).filter((r) => r.status < 300).map((r) => curate(r.requestBody));
      const value = best(bodies, pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema'), 1500);
      if (value === undefined) missing.push(`${method.toUpperCase()} ${template} request body`);
      else if (auth) attachToSchema(requestMedia.schema?.$ref, value, `${id} request`);
      else attach(['paths', template, method, 'requestBody', 'content', 'application/json'], `${id}Request`, `${op.summary ?? id}: request`, value);
    }

    for (const [status, raw] of Object.entries(op.responses)) {
      if (!/^2/.test(status)) continue;
      const response = resolve(raw);
      for (const [type, media] of Object.entries(response.content ?? {})) {
        const base = raw.$ref ? raw.$ref.slice(2).split('/') : ['paths', template, method, 'responses', status];
        if (!force && (hasExample(media) || (raw.$ref && examples.has(base[base.length - 1])))) continue;
        const recorded = recordedFor(method, template, Number(status)).filter((r) => r.contentType.startsWith(type));
        if (!type.includes('json')) {
          const text = recorded.map((r) => r.responseBody).find((b): b is string => typeof b === 'string' && b.length > 0);
          if (text === undefined) missing.push(`${method.toUpperCase()} ${template} ${status} ${type}`);
          else attach([...base, 'content', type], raw.$ref ? base[base.length - 1] : `${id}${status}`, `${op.summary ?? id}: ${status}`, textExcerpt(text));
          continue;
        }
        const list = media.schema?.properties?.data?.type === 'array';
        const value = best(recorded.map((r) => curate(r.responseBody, list)), pointer(...base, 'content', type, 'schema'), 5000);
        if (value === undefined) missing.push(`${method.toUpperCase()} ${template} ${status}`);
        else if (auth && !raw.$ref) attachToSchema(media.schema?.properties?.data?.$ref, (value as { data: unknown }).data, `${id} ${status}`);
        else attach([...base, 'content', type], raw.$ref ? base[base.length - 1] : `${id}${status}`, raw.$ref ? `${base[base.length - 1]}` : `${op.summary ?? id}: ${status}`, value);
      }
    }
  }
}

// Shared error responses: one example per error code they carry.
const ERROR_STATUS: Record<string, number> = {
  BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, Conflict: 409, Unprocessable: 422,
  TooManyRequests: 429, HostedPageTooManyRequests: 429, ServiceUnavailable: 503, ServerError: 500,
};
for (const [name, status] of Object.entries(ERROR_STATUS)) {
  const response = spec.components.responses[name];
  if (!response) continue;
  for (const [type, media] of Object.entries(response.content ?? {})) {
    if (hasExample(media) && !force) continue;
    const recorded = http.filter((r) => r.status === status && r.contentType.startsWith(type));
    if (!type.includes('json')) {
      const text = recorded.map((r) => r.responseBody).find((b): b is string => typeof b === 'string' && b.length > 0);
      if (text === undefined) missing.push(`components/responses/${name} ${type}`);
      else attach(['components', 'responses', name, 'content', type], `${name}Error`, response.description, textExcerpt(text));
      continue;
    }
    const codes = [...new Set(recorded.map((r) => errorCode(r.responseBody)).filter(Boolean))];
    if (codes.length === 0) missing.push(`components/responses/${name}`);
    for (const code of codes) {
      const ofCode = recorded.filter((r) => errorCode(r.responseBody) === code).map((r) => curate(r.responseBody));
      const value = best(ofCode, pointer('components', 'responses', name, 'content', type, 'schema'), 1200, errorScore);
      if (value === undefined) missing.push(`components/responses/${name} ${code}`);
      else attach(['components', 'responses', name, 'content', type], codes.length > 1 ? `${name}_${code}` : `${name}Error`, `${code} (${status})`, value, code);
    }
  }
}

// Webhooks: deliveries caught by the test receivers, else events listed by GET /events.
const events = [
  ...records.filter((r) => r.method === 'WEBHOOK').map((r) => r.requestBody),
  ...http.filter((r) => r.template === '/api/v1/events' || r.template === '/api/v1/events/{id}').flatMap((r) => {
    const data = isJsonObject(r.responseBody) ? r.responseBody.data : undefined;
    return (Array.isArray(data) ? data : [data]).filter(isJsonObject).map((e) => ({ id: e.id, type: e.type, created_at: e.created_at, livemode: e.livemode, data: e.data }));
  }),
] as { type?: string }[];
for (const [type, entry] of Object.entries(spec.webhooks ?? {})) {
  const media = entry.post.requestBody.content['application/json'];
  if (hasExample(media) && !force) continue;
  const value = best(events.filter((e) => e?.type === type).map((e) => curate(e)), pointer('webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema'), 5000);
  if (value === undefined) missing.push(`webhook ${type}`);
  else attach(['webhooks', type, 'post', 'requestBody', 'content', 'application/json'], `${entry.post.operationId}Payload`, `A real ${type} delivery`, value);
}

if (!doc.hasIn(['components', 'examples'])) (doc.get('components') as YAML.YAMLMap).set('examples', examples);
writeFileSync(file, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
console.log(`${written} examples written from ${records.length} recorded exchanges; still missing ${missing.length}:`);
for (const m of missing) console.log(`  ${m}`);

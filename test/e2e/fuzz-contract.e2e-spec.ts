import fc from 'fast-check';
import { loadSpec } from '../../src/platform/openapi/spec-file';
import { startTestApp, type TestApp } from '../support/app';
import { signUpTenant } from '../support/factories';
import type { SpecDocument, SpecParameter, SpecSchema } from '../support/spec-document';
import { HTTP_METHODS } from '../support/openapi-validator';

type Schema = SpecSchema;
interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  body?: Schema;
}

/** A fixed seed so a failure is reproducible; FUZZ_SEED overrides it to explore further. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);
/** The whole property stops after this long (wall clock), whatever it reached: CI has a budget. */
const TIME_BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 60_000);

const spec = loadSpec() as unknown as SpecDocument;
const resolveRef = (schema: Schema | undefined): Schema | undefined =>
  schema?.$ref ? resolveRef(spec.components.schemas[schema.$ref.replace('#/components/schemas/', '')]) : schema;
const resolveParam = (p: SpecParameter): SpecParameter => (p.$ref ? spec.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p);

function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveParam);
      out.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        body: resolveRef(op.requestBody?.content?.['application/json']?.schema),
      });
    }
  }
  return out;
}

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

/** Values a careless or hostile client sends where any field is expected. */
const hostileValue = fc.oneof(
  // null for a field that cannot be null is the most common careless value: weighted up.
  { arbitrary: fc.constant(null), weight: 4 },
  fc.constant('a\u0000b'),
  fc.constant('\ud800'),
  fc.constant('x'.repeat(100_000)),
  fc.constant(nested(200)),
  fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom(true, false, '', ' ', '0', 'null', '[]', '{}'),
  fc.constant(Array.from({ length: 1000 }, (_, i) => i)),
  fc.constant({ $where: 'sleep(1)', __proto__: { admin: true } }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
);

/** Path segments no resource has: malformed, over-long, undecodable, NUL, traversal. */
const hostileSegment = fc.constantFrom(
  'x', 'prod_', 'prod_00000000000000000000000000', '%00', 'a%E0%A4%A', '..%2F..%2Fetc', 'x'.repeat(300),
  '%F0%9F%98%80', 'ck_live_x', "' OR 1=1 --", '%ud800', 'inv_01h455vb4pex5vsknk084sn02q',
);

/** The collection each path parameter indexes: `/webhooks/{id}` → `webhooks`. */
function collectionsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.flatMap((part, i) => (part.startsWith('{') ? [parts[i - 1]] : []));
}

function requestFor(op: Operation, realIds: Record<string, string>) {
  const fieldNames = Object.keys(op.body?.properties ?? {});
  // The real id of the collection most of the time, so hostile bodies reach the services, not only the 404 of a bad id.
  // DELETE only ever gets bad ids: deleting the shared fixtures would turn every later call into a 404.
  const segments = collectionsOf(op.path).map((collection) =>
    realIds[collection] && op.method !== 'DELETE' ? fc.oneof({ arbitrary: fc.constant(realIds[collection]), weight: 3 }, { arbitrary: hostileSegment, weight: 1 }) : hostileSegment,
  );
  return fc.record({
    segments: fc.tuple(...segments),
    query: fc.dictionary(fc.constantFrom(...(op.queryParams.length ? op.queryParams : ['unknown_param'])), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('%00', '-1', '99999999999999999999', 'a\u0000', 'true', ''))),
    body: op.body
      ? fc.oneof(
          // One hostile field alone is what reaches the code behind validation; several at once mostly test the first check.
          { arbitrary: fc.dictionary(fc.constantFrom(...(fieldNames.length ? fieldNames : ['x'])), hostileValue, { minKeys: 1, maxKeys: 1 }), weight: 4 },
          { arbitrary: fc.dictionary(fc.constantFrom(...(fieldNames.length ? fieldNames : ['x'])), hostileValue), weight: 1 },
          { arbitrary: fc.constantFrom<unknown>([], 'string', 42, null, nested(60)), weight: 1 },
        )
      : fc.constant(undefined),
  });
}

describe('contract fuzzing: hostile input never gets a 5xx (e2e, fast-check)', () => {
  let t: TestApp;
  let token: string;
  const realIds: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    token = (await signUpTenant(t.http)).accessToken;
    const create = async (path: string, body: object) => {
      const res = await t.http.post(path, body, { token });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data as { id: string; variants?: { id: string }[] };
    };
    const product = await create('/api/v1/products', { sku: 'FUZZ-1', name: 'Fuzz', price: 100, variants: [{ sku: 'FUZZ-1-A' }] });
    const customer = await create('/api/v1/customers', { email: 'fuzz@example.com', first_name: 'F', last_name: 'Z' });
    const location = await create('/api/v1/locations', { name: 'Fuzz warehouse' });
    const webhook = await create('/api/v1/webhooks', { url: 'https://example.com/hook', events: ['product.created'] });
    const invoice = await create('/api/v1/invoices', { customer_id: customer.id, currency: 'usd', lines: [{ description: 'x', quantity: 1, unit_amount: 100 }] });
    Object.assign(realIds, { products: product.id, variants: product.variants![0].id, customers: customer.id, locations: location.id, webhooks: webhook.id, invoices: invoice.id, inventory: product.id });
  });
  afterAll(() => t.close());

  it(`answers every operation's malformed ids, NUL/surrogate strings, deep nesting, wrong types and nulls with a 4xx in the envelope`, async () => {
    const fastify = t.app.getHttpAdapter().getInstance();
    const deadline = Date.now() + TIME_BUDGET_MS;
    const failures: string[] = [];
    let sent = 0;
    for (const [index, op] of operations().entries()) {
      if (Date.now() > deadline) break;
      await fc.assert(
        fc.asyncProperty(requestFor(op, realIds), async ({ segments, query, body }) => {
          if (Date.now() > deadline) return;
          let i = 0;
          const path = op.path.replace(/\{[^}]+\}/g, () => segments[i++]);
          const qs = Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${v.includes('%') ? v : encodeURIComponent(v)}`).join('&');
          const res = await fastify.inject({
            method: op.method as 'GET',
            url: qs ? `${path}?${qs}` : path,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            payload: body === undefined ? undefined : JSON.stringify(body),
          });
          sent++;
          if (process.env.FUZZ_DEBUG && op.path.includes(process.env.FUZZ_DEBUG)) console.log(op.method, path, res.statusCode, JSON.stringify(body)?.slice(0, 100));
          const where = `${op.method} ${op.path} → ${res.statusCode} for ${path.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 120)}`;
          if (res.statusCode >= 500) failures.push(where);
          // The API answers JSON; the hosted pages (outside /api) answer HTML, with the same status rules.
          if (res.statusCode >= 400 && op.path.startsWith('/api/')) {
            const requestId = res.headers['x-request-id'];
            let envelope: { error?: { code?: unknown; request_id?: unknown } } = {};
            try {
              envelope = res.json();
            } catch {
              failures.push(`${where}: not JSON`);
            }
            if (typeof envelope.error?.code !== 'string' || !requestId || envelope.error.request_id !== requestId) failures.push(`${where}: not the error envelope`);
          }
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, TIME_BUDGET_MS + 60_000);
});

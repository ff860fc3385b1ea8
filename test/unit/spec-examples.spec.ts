import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec } from '../../src/platform/openapi/spec-file';
import { isJsonObject, refResolver, type SpecDocument, type SpecMedia, type SpecSchema } from '../support/spec-document';

/**
 * Every example in openapi/openapi.yaml is checked against its schema, so a schema change that
 * leaves an example behind fails here; and every JSON request body, success response, shared
 * error response and webhook payload has one (scripts/spec-examples.ts fills them from real
 * e2e exchanges). Enum values are described where Swagger UI shows them.
 */
const spec = loadSpec() as unknown as SpecDocument; // walked as a plain JSON document
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('card-number', /^[0-9]{12,19}$/); // Luhn is checked by the API, not here
ajv.addSchema({ ...spec, $id: 'spec' });

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SHARED_ERRORS = ['BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'Unprocessable', 'TooManyRequests', 'HostedPageTooManyRequests', 'ServiceUnavailable', 'ServerError'];
const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const resolve = refResolver(spec);

interface Example {
  label: string;
  value: unknown;
  schemaRef: string;
}
interface Slot {
  label: string;
  examples: Example[];
}

/** The examples of one media type: `example`, `examples` (component refs resolved), else those on the schema it references. */
function mediaExamples(label: string, media: SpecMedia, schemaRef: string): Example[] {
  const found: Example[] = [];
  if (media.example !== undefined) found.push({ label, value: media.example, schemaRef });
  for (const [key, ex] of Object.entries(media.examples ?? {})) found.push({ label: `${label} [${key}]`, value: resolve(ex).value, schemaRef });
  if (found.length > 0) return found;
  const schema: SpecSchema = media.schema ?? {};
  // An auth operation's example lives on its component schema (of the body, or of the envelope's `data`).
  const target = schema.$ref ?? schema.properties?.data?.$ref;
  const examples = target ? resolve<SpecSchema>({ $ref: target }).examples : undefined;
  if (target && examples) {
    const envelope = !schema.$ref;
    return examples.map((value, i) => ({ label: `${label} (schema example ${i})`, value, schemaRef: envelope ? target : schemaRef }));
  }
  return [];
}

function slots(): Record<'requestBodies' | 'successResponses' | 'sharedErrors' | 'webhooks', Slot[]> {
  const requestBodies: Slot[] = [];
  const successResponses: Slot[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const name = `${method.toUpperCase()} ${template}`;
      const json = op.requestBody?.content?.['application/json'];
      if (json) requestBodies.push({ label: `${name} request`, examples: mediaExamples(`${name} request`, json, pointer('paths', template, method, 'requestBody', 'content', 'application/json', 'schema')) });
      for (const [status, raw] of Object.entries(op.responses)) {
        if (!status.startsWith('2')) continue;
        const base = raw.$ref ? raw.$ref.slice(2).split('/') : ['paths', template, method, 'responses', status];
        for (const [type, media] of Object.entries(resolve(raw).content ?? {})) {
          const label = `${name} ${status} ${type}`;
          successResponses.push({ label, examples: mediaExamples(label, media, pointer(...base, 'content', type, 'schema')) });
        }
      }
    }
  }
  const sharedErrors = SHARED_ERRORS.flatMap((name) =>
    Object.entries(spec.components.responses[name].content!).map(([type, media]) => ({
      label: `components/responses/${name} ${type}`,
      examples: mediaExamples(name, media, pointer('components', 'responses', name, 'content', type, 'schema')),
    })),
  );
  const webhooks = Object.entries(spec.webhooks).map(([type, entry]) => ({
    label: `webhook ${type}`,
    examples: mediaExamples(type, entry.post.requestBody.content['application/json'], pointer('webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema')),
  }));
  return { requestBodies, successResponses, sharedErrors, webhooks };
}

function problemsOf(example: Example): string[] {
  const validate = ajv.getSchema(`spec${example.schemaRef}`) ?? ajv.compile({ $ref: `spec${example.schemaRef}` });
  return validate(example.value) ? [] : [`${example.label}: ${ajv.errorsText(validate.errors)}`];
}

/** Every `examples` keyword inside the schemas (the component's and its properties'), with its location. */
function schemaExamples(node: unknown, path: string[]): Example[] {
  if (!isJsonObject(node)) return [];
  const own: Example[] = Array.isArray(node.examples) && (node.type || node.$ref || node.properties || node.allOf || node.enum || node.const !== undefined)
    ? node.examples.map((value, i) => ({ label: `${path.join('/')} examples[${i}]`, value, schemaRef: pointer(...path) }))
    : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => (k === 'examples' ? [] : schemaExamples(v, [...path, k])))];
}

describe('spec examples', () => {
  const all = slots();

  it('has an example for 100 % of request bodies, success responses, shared errors and webhooks', () => {
    const summary = Object.entries(all).map(([kind, list]) => `${kind} ${list.filter((s) => s.examples.length > 0).length}/${list.length}`);
    const examples = Object.values(all).flat().reduce((n, s) => n + s.examples.length, 0);
    console.info(`openapi.yaml examples: ${summary.join(', ')} (${examples} examples)`);
    expect(Object.values(all).flat().filter((s) => s.examples.length === 0).map((s) => s.label)).toEqual([]);
  });

  it('every operation and webhook example validates against its schema', () => {
    expect(Object.values(all).flat().flatMap((s) => s.examples).flatMap(problemsOf)).toEqual([]);
  });

  it('every examples keyword inside the schemas validates against its schema', () => {
    const found = schemaExamples(spec.components.schemas, ['components', 'schemas']);
    expect(found.length).toBeGreaterThan(10);
    expect(found.flatMap(problemsOf)).toEqual([]);
  });

  it('notices a stale example (one that lost a required field)', () => {
    const example = all.successResponses.flatMap((s) => s.examples).find((e) => (e.value as { data?: { id?: string } })?.data?.id)!;
    const { id: _dropped, ...rest } = (example.value as { data: Record<string, unknown> }).data;
    expect(problemsOf({ ...example, value: { ...(example.value as object), data: rest } })).not.toEqual([]);
  });

  it('describes every enum value where Swagger UI shows it (the schema’s or the parameter’s description)', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string, parentDescription?: string): void => {
      if (!isJsonObject(node)) return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      if (Array.isArray(node.enum) && node.enum.length > 1) {
        const text = `${node.description ?? ''} ${parentDescription ?? ''}`;
        for (const value of node.enum) if (value !== null && !text.includes(`\`${value}\``)) undescribed.push(`${path}: ${value}`);
      }
      const isParameter = typeof node.in === 'string' && typeof node.name === 'string';
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`, key === 'schema' && isParameter && typeof node.description === 'string' ? node.description : undefined);
    };
    walk(spec.paths, 'paths');
    walk(spec.components, 'components');
    walk(spec.webhooks, 'webhooks');
    expect(undescribed).toEqual([]);
  });
});

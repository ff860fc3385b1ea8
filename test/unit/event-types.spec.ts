import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EVENT_TYPES } from '../../src/modules/events/events.service';
import { CreateWebhookRequestDto, UpdateWebhookRequestDto } from '../../src/generated/request-dtos';
import { loadSpec, projectRoot } from '../../src/platform/openapi/spec-file';

/** The parts of the spec this test reads: the EventType enum, each payload's `type`, each webhook's body and headers. */
interface WebhookSpec {
  components: {
    schemas: { EventType: { enum: string[] } } & Record<string, { allOf: [unknown, { properties: { type: { const?: string; enum?: string[] } } }] }>;
    parameters: Record<string, { name: string }>;
  };
  webhooks: Record<string, { post: { requestBody: { content: { 'application/json': { schema: { $ref: string } } } }; parameters: { $ref: string }[] } }>;
}

const spec = loadSpec() as unknown as WebhookSpec; // walked as a plain JSON document
const schemas = spec.components.schemas;

/** Every `.ts` file under src/modules except tests, with its text. */
function moduleSources(dir = join(projectRoot(), 'src', 'modules')): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return moduleSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [{ file: path, text: readFileSync(path, 'utf8') }] : [];
  });
}

const payloadRef = (type: string): string => spec.webhooks[type].post.requestBody.content['application/json'].schema.$ref;

describe('event types: code, spec enum and webhooks section agree', () => {
  it('EVENT_TYPES is exactly the spec’s EventType enum', () => {
    expect([...EVENT_TYPES].sort()).toEqual([...schemas.EventType.enum].sort());
  });

  it('every accepted type has a module that records it, and every recorded literal is accepted', () => {
    const sources = moduleSources().filter((s) => !s.file.endsWith(join('events', 'events.service.ts')));
    const emitted = new Set(sources.flatMap((s) => [...s.text.matchAll(/'([a-z_]+\.[a-z_]+)'/g)].map((m) => m[1])));
    expect(EVENT_TYPES.filter((t) => !emitted.has(t))).toEqual([]);
    const recorded = sources.flatMap((s) => [...s.text.matchAll(/events\.record\([^,]+,\s*'([^']+)'/g)].map((m) => m[1]));
    expect(recorded.length).toBeGreaterThan(15);
    expect(recorded.filter((t) => t !== 'webhook.test' && !(EVENT_TYPES as readonly string[]).includes(t))).toEqual([]);
  });

  it('the webhooks section has one entry per event type (and webhook.test), each typed by its payload', () => {
    expect(Object.keys(spec.webhooks).sort()).toEqual([...EVENT_TYPES, 'webhook.test'].sort());
    for (const type of Object.keys(spec.webhooks)) {
      const payload = schemas[payloadRef(type).replace('#/components/schemas/', '')];
      const typeSchema = payload.allOf[1].properties.type;
      expect(typeSchema.const ?? typeSchema.enum).toEqual(typeSchema.const ? type : expect.arrayContaining([type]));
      const headers = spec.webhooks[type].post.parameters.map((p) => spec.components.parameters[p.$ref.split('/').pop()!].name);
      expect(headers).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'X-Webhook-Signature']);
    }
  });

  it.each([CreateWebhookRequestDto, UpdateWebhookRequestDto])('%p takes types, families and *, and refuses unknown or not-yet-built types', (dto) => {
    const problems = (events: unknown) =>
      validateSync(plainToInstance(dto as new () => object, { url: 'https://hooks.example.com/in', events }), { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);
    expect(problems(['order.created', 'invoice.*', 'ticket.*', 'domain.*', '*'])).toEqual([]);
    expect(problems(['shipment.created', 'shipment.*'])).toEqual([]);
    for (const bad of [['order.exploded'], ['shipment.returned'], ['shipping.*'], ['order'], ['webhook.test'], [7]]) expect(problems(bad)).toEqual(['events']);
  });
});

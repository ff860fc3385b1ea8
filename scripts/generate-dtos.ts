/**
 * Generates src/generated/request-dtos.ts from openapi/openapi.yaml: one class-validator DTO class
 * per JSON request body schema (and per inline object inside one), and one query DTO per operation
 * with query parameters. A constraint is written once, in the spec; `npm run spec:types` runs this
 * after openapi-typescript, and test/unit/generated-dtos.spec.ts fails when the file is stale.
 *
 * Usage: node -r ts-node/register/transpile-only scripts/generate-dtos.ts [out-file]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { SpecDocument, SpecOperation, SpecParameter, SpecPathItem, SpecSchema } from '../test/support/spec-document';

type Schema = SpecSchema;
const root = join(__dirname, '..');
const spec: SpecDocument = parse(readFileSync(join(root, 'openapi', 'openapi.yaml'), 'utf8'));
const schemas: Record<string, Schema> = spec.components.schemas;

const classes: string[] = [];
const generated = new Set<string>();
const validators = new Set<string>();
const specDecorators = new Set<string>();
let usesType = false;

const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const pascal = (s: string) => s.replace(/(^|[_\-\s])([a-z0-9])/g, (_m, _p, c: string) => c.toUpperCase());
const lit = (v: unknown) => JSON.stringify(v);

/** Follows `$ref`, a one-member `allOf` and `oneOf: [X, {type: null}]` to the schema that constrains the value. */
function resolve(schema: Schema): { schema: Schema; nullable: boolean; name?: string } {
  let nullable = false;
  let name: string | undefined;
  let current = schema;
  for (;;) {
    if (current.$ref) {
      name = refName(current.$ref);
      current = schemas[name];
    } else if (current.allOf?.length === 1) {
      current = current.allOf[0];
    } else if (current.oneOf || current.anyOf) {
      const members: Schema[] = current.oneOf ?? current.anyOf ?? [];
      const nonNull = members.filter((m) => m.type !== 'null');
      if (nonNull.length !== members.length) nullable = true;
      if (nonNull.length > 1) {
        // A union of scalars (`anyOf: [{format: date}, {format: date-time}]`) is checked member by member.
        current = { ...current, oneOf: undefined, anyOf: nonNull.map((m) => resolve(m).schema) };
        break;
      }
      current = nonNull[0];
    } else break;
  }
  const types: string[] = Array.isArray(current.type) ? current.type : current.type ? [current.type] : [];
  if (types.includes('null')) nullable = true;
  return { schema: current, nullable, name };
}

function typesOf(schema: Schema): string[] {
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.filter((t) => t !== 'null');
}

function use(decorator: string, from: 'cv' | 'spec' = 'cv'): string {
  (from === 'cv' ? validators : specDecorators).add(decorator);
  return decorator;
}

/** ValidationOptions of a decorator: `each` for array members, the spec's `x-error-message` for the shape check. */
function options(each: boolean, message?: string): string {
  const parts = [each ? 'each: true' : '', message ? `message: ${lit(message)}` : ''].filter(Boolean);
  return parts.length ? `{ ${parts.join(', ')} }` : '';
}
const args = (...list: string[]) => list.filter(Boolean).join(', ');

/** `format: date` / `date-time`, alone or as a union of both: an ISO 8601 date the API can read. */
const isDateFormat = (schema: Schema) => typesOf(schema).join() === 'string' && (schema.format === 'date' || schema.format === 'date-time');

/**
 * Decorators for a scalar (or a map) value; `each` applies them to every array member. The spec's
 * `x-error-message` replaces class-validator's message on the check that defines the value's shape:
 * the pattern, else the enum, else the format, else the type; bounds keep their own messages.
 */
function scalarDecorators(schema: Schema, each: boolean, inQuery: boolean): string[] {
  const message: string | undefined = schema['x-error-message'];
  const shape = schema.pattern ? 'pattern' : schema.enum || schema.const !== undefined ? 'enum' : schema.format ? 'format' : 'type';
  const opt = (part: string) => options(each, part === shape ? message : undefined);
  const out: string[] = [];
  const types = typesOf(schema);
  const text = types.join() === 'string' || (schema.anyOf as Schema[] | undefined)?.every((m) => typesOf(m).join() === 'string');
  if (inQuery && !each && text) out.push(`@${use('QueryText', 'spec')}()`);
  if (schema.const !== undefined) out.push(`@${use('IsIn')}(${args(lit([schema.const]), opt('enum'))})`);
  else if (schema.enum) out.push(`@${use('IsIn')}(${args(lit(schema.enum.filter((v: unknown) => v !== null)), opt('enum'))})`);
  if (schema.not) {
    const refused = schema.not.const !== undefined ? [schema.not.const] : schema.not.enum;
    if (!refused) throw new Error(`unsupported not ${JSON.stringify(schema.not)}`);
    out.push(`@${use('IsNotIn')}(${args(lit(refused), options(each, schema.not['x-error-message']))})`);
  }
  if (schema.anyOf) {
    // A union of scalars: dates in either form, or plain JSON types without further limits.
    const members: Schema[] = schema.anyOf;
    if (members.every(isDateFormat)) {
      out.push(`@${use('IsString')}(${opt('type')})`);
      const max = Math.max(...members.map((m) => m.maxLength ?? Infinity));
      if (Number.isFinite(max)) out.push(`@${use('MaxLength')}(${args(String(max), options(each))})`);
      out.push(`@${use('IsIsoDate', 'spec')}(${options(each, message)})`);
    } else if (members.every((m) => m.enum || m.const !== undefined)) {
      // A union of closed lists (`anyOf: [EventType, EventTypeFamily, const '*']`): one list of every allowed value.
      const allowed = members.flatMap((m) => (m.const !== undefined ? [m.const] : m.enum)).filter((v: unknown) => v !== null);
      out.push(`@${use('IsIn')}(${args(lit(allowed), options(each, message))})`);
    } else if (members.every((m) => typesOf(m).length === 1 && Object.keys(m).every((k) => k === 'type' || k === 'description'))) {
      out.push(`@${use('IsScalarOf', 'spec')}(${args(lit(members.map((m) => typesOf(m)[0])), options(each, message))})`);
    } else throw new Error(`unsupported union ${JSON.stringify(schema.anyOf)}`);
  } else if (types.length === 1 && types[0] === 'string') {
    if (!schema.enum && schema.const === undefined) out.push(`@${use('IsString')}(${opt('type')})`);
    if (schema.minLength !== undefined) out.push(`@${use('MinLength')}(${args(String(schema.minLength), options(each))})`);
    if (schema.maxLength !== undefined) out.push(`@${use('MaxLength')}(${args(String(schema.maxLength), options(each))})`);
    if (schema.pattern) out.push(`@${use('Matches')}(${args(`new RegExp(${lit(schema.pattern)})`, opt('pattern'))})`);
    if (schema.format === 'email') out.push(`@${use('IsEmailAddress', 'spec')}(${opt('format')})`);
    if (schema.format === 'uri') out.push(`@${use('IsHttpUrl', 'spec')}(${opt('format')})`);
    if (schema.format === 'card-number') out.push(`@${use('IsCardNumber', 'spec')}(${opt('format')})`);
    if (isDateFormat(schema)) out.push(`@${use('IsIsoDate', 'spec')}(${opt('format')})`);
  } else if (types.length === 1 && (types[0] === 'integer' || types[0] === 'number')) {
    if (inQuery && !each) out.push(`@${use('QueryNumber', 'spec')}()`);
    out.push(
      types[0] === 'integer'
        ? `@${use('IsInt')}(${opt(shape === 'format' ? 'format' : 'type')})`
        : `@${use('IsNumber')}(${args('{ allowNaN: false, allowInfinity: false }', opt(shape === 'format' ? 'format' : 'type'))})`,
    );
    if (schema.minimum !== undefined) out.push(`@${use('Min')}(${args(String(schema.minimum), options(each))})`);
    if (schema.maximum !== undefined) out.push(`@${use('Max')}(${args(String(schema.maximum), options(each))})`);
  } else if (types.length === 1 && types[0] === 'boolean') {
    if (inQuery && !each) out.push(`@${use('QueryBoolean', 'spec')}()`);
    out.push(`@${use('IsBoolean')}(${opt('type')})`);
  } else if (types.length === 1 && types[0] === 'object' && schema.additionalProperties && !schema.properties) {
    const value = resolve(schema.additionalProperties === true ? {} : schema.additionalProperties).schema;
    const rule = {
      maxProperties: schema.maxProperties,
      keyMinLength: schema.propertyNames?.minLength,
      keyMaxLength: schema.propertyNames?.maxLength,
      keyPattern: schema.propertyNames?.pattern,
      valueTypes: typesOf(value),
      valueMaxLength: value.maxLength,
    };
    out.push(`@${use('IsSpecMap', 'spec')}(${args(lit(JSON.parse(JSON.stringify(rule))), options(each, message))})`);
  } else if (types.length > 1 && !schema.properties) {
    out.push(`@${use('IsScalarOf', 'spec')}(${args(lit(types), options(each, message))})`);
    if (schema.maxLength !== undefined) out.push(`@${use('MaxLength')}(${args(String(schema.maxLength), options(each))})`);
  }
  return out;
}

function propertyDecorators(owner: string, prop: string, raw: Schema, required: boolean, inQuery: boolean): { decorators: string[] } {
  const { schema, nullable, name } = resolve(raw);
  const decorators: string[] = [];
  // Absent optional fields are skipped; null is accepted only where the spec says the field is nullable.
  if (!required) decorators.push(nullable ? `@${use('IsOptional')}()` : `@${use('IfPresent', 'spec')}()`);
  else if (nullable) decorators.push(`@${use('ValidateIf')}((_o, value) => value !== null)`);
  else if (inQuery) decorators.push(`@${use('IsDefined')}({ message: '$property is required' })`);
  const types = typesOf(schema);
  if (types.includes('array')) {
    // A query-string array is the comma-separated form (`style: form, explode: false`): `tags=a,b`.
    if (inQuery) decorators.push(`@${use('QueryList', 'spec')}()`);
    decorators.push(`@${use('IsArray')}(${options(false, schema['x-error-message'])})`);
    if (schema.minItems !== undefined) decorators.push(`@${use('ArrayMinSize')}(${schema.minItems})`);
    if (schema.maxItems !== undefined) decorators.push(`@${use('ArrayMaxSize')}(${schema.maxItems})`);
    if (schema.uniqueItems) decorators.push(`@${use('ArrayUnique')}()`);
    const item = resolve(schema.items ?? {});
    if (item.schema.properties) {
      const cls = objectClass(item.name ?? `${owner}${pascal(prop)}Item`, item.schema, !!item.name);
      decorators.push(`@${use('ValidateNested')}({ each: true })`, `@${use('IsObject')}({ each: true })`, `@Type(() => ${cls})`);
      usesType = true;
    } else decorators.push(...scalarDecorators(item.schema, true, inQuery));
  } else if (schema.properties) {
    const cls = objectClass(name ?? `${owner}${pascal(prop)}`, schema, !!name);
    decorators.push(`@${use('ValidateNested')}()`, `@${use('IsObject')}()`, `@Type(() => ${cls})`);
    usesType = true;
  } else decorators.push(...scalarDecorators(schema, false, inQuery));
  return { decorators };
}

/** Emits the DTO class for an object schema once and returns its class name. */
function objectClass(name: string, schema: Schema, named: boolean): string {
  const cls = `${name}Dto`;
  if (generated.has(cls)) return cls;
  generated.add(cls);
  const required = new Set<string>(schema.required ?? []);
  const lines: string[] = [];
  for (const [prop, raw] of Object.entries(schema.properties ?? {})) {
    if (raw.readOnly) continue;
    const { decorators } = propertyDecorators(name, prop, raw, required.has(prop), false);
    const type = named ? `S[${lit(name)}][${lit(prop)}]` : 'unknown';
    const key = /^[a-z_][a-z0-9_]*$/i.test(prop) ? prop : lit(prop);
    lines.push(`  ${decorators.join(' ')}\n  ${key}${required.has(prop) ? '' : '?'}: ${type};`);
  }
  const doc = schema.description ? `/** ${String(schema.description).split('\n')[0].replace(/\*\//g, '*\\/')} */\n` : '';
  classes.push(`${doc}export class ${cls}${named ? ` implements Schema<${lit(name)}>` : ''} {\n${lines.join('\n')}\n}`);
  return cls;
}

/** Query parameters of one operation, `$ref`s to components/parameters resolved. */
function queryParameters(operation: SpecOperation, pathItem: SpecPathItem): SpecParameter[] {
  const all = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
    p.$ref ? spec.components.parameters[p.$ref.replace('#/components/parameters/', '')] : p,
  );
  return all.filter((p) => p.in === 'query');
}

function queryClass(operationId: string, params: SpecParameter[]): void {
  const cls = `${pascal(operationId)}QueryDto`;
  const lines = params.map((p) => {
    if (p.schema?.type === 'array' && p.explode !== false) throw new Error(`${operationId}: query array ${p.name} must be \`explode: false\` (comma-separated)`);
    const { decorators } = propertyDecorators(cls, p.name, p.schema ?? {}, !!p.required, true);
    return `  ${decorators.join(' ')}\n  ${p.name}${p.required ? '' : '?'}: Q<${lit(operationId)}>[${lit(p.name)}];`;
  });
  classes.push(`/** Query parameters of \`${operationId}\`. */\nexport class ${cls} {\n${lines.join('\n')}\n}`);
}

const bodies = new Set<string>();
for (const [path, pathItem] of Object.entries(spec.paths)) {
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    const operation = pathItem[method];
    if (!operation) continue;
    const json = operation.requestBody?.content?.['application/json']?.schema;
    if (json?.$ref) bodies.add(refName(json.$ref));
    else if (json) throw new Error(`${method.toUpperCase()} ${path}: give the request body a named schema`);
    const params = queryParameters(operation, pathItem);
    if (params.length > 0) queryClass(operation.operationId, params);
  }
}
for (const name of [...bodies].sort()) objectClass(name, resolve({ $ref: `#/components/schemas/${name}` }).schema, true);

const header = `// Generated by scripts/generate-dtos.ts from openapi/openapi.yaml (npm run spec:types). Do not edit.
/* eslint-disable */
${usesType ? "import { Type } from 'class-transformer';\n" : ''}import { ${[...validators].sort().join(', ')} } from 'class-validator';
import { ${[...specDecorators].sort().join(', ')} } from '../platform/validation/spec-decorators';
import type { components, operations } from './openapi';

type S = components['schemas'];
type Schema<N extends keyof S> = S[N];
type Q<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;
`;
const out = process.argv[2] ?? join(root, 'src', 'generated', 'request-dtos.ts');
writeFileSync(out, `${header}\n${classes.join('\n\n')}\n`);

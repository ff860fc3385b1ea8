import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { parse } from 'yaml';

/** The project root (where package.json is), from source or from dist/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export const SPEC_PATH = join(projectRoot(), 'openapi', 'openapi.yaml');

/** The checked-in contract, parsed. Swagger UI and the response validator both read this file. */
export function loadSpec(): OpenAPIObject {
  return parse(readFileSync(SPEC_PATH, 'utf8')) as OpenAPIObject;
}

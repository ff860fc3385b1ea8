import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';

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

/**
 * The checked-in contract, parsed. Swagger UI (on its first request) and the response validator both
 * read this file. The YAML parser is required here, not at the top: a process that never serves
 * /docs never loads it.
 */
export function loadSpec(): OpenAPIObject {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose (see above)
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(readFileSync(SPEC_PATH, 'utf8')) as OpenAPIObject;
}

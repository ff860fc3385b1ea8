import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
export function loadSpec(): Record<string, any> {
  return parse(readFileSync(SPEC_PATH, 'utf8'));
}

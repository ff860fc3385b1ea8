import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('packages/client/src/schema.ts', () => {
  it('is the same generation of openapi/openapi.yaml as src/generated/openapi.ts (npm run spec:types writes both)', () => {
    // test/unit/generated-types.spec.ts checks that src/generated/openapi.ts is fresh; equal files make this one fresh too.
    expect(readFileSync(join(root, 'packages', 'client', 'src', 'schema.ts'), 'utf8')).toBe(readFileSync(join(root, 'src', 'generated', 'openapi.ts'), 'utf8'));
  });
});

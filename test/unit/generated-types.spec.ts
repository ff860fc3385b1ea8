import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('src/generated/openapi.ts', () => {
  it('is what `npm run spec:types` generates from openapi/openapi.yaml (run it after changing the spec)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spec-types-')), 'openapi.ts');
    execFileSync(join(root, 'node_modules', '.bin', 'openapi-typescript'), [join(root, 'openapi', 'openapi.yaml'), '-o', out], {
      stdio: 'pipe',
    });
    expect(readFileSync(join(root, 'src', 'generated', 'openapi.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 60000);
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('src/generated/request-dtos.ts', () => {
  it('is what `npm run spec:types` generates from openapi/openapi.yaml (run it after changing the spec)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spec-dtos-')), 'request-dtos.ts');
    execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(root, 'scripts', 'generate-dtos.ts'), out], { cwd: root, stdio: 'pipe' });
    expect(readFileSync(join(root, 'src', 'generated', 'request-dtos.ts'), 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 60000);
});

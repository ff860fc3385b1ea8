/**
 * Module boundaries, kept by a tool (`npm run lint`, part of `npm test`). DESIGN.md rules 1 and 11:
 * `src/platform/` knows no domain module, and a module reaches another only through what that
 * module offers for the purpose — never its repository, entities or internal files.
 */
const path = require('node:path');

/** What one module may import from another: its wiring, its services, its ports/tokens, its type files and its typed errors. */
const CROSSES_MODULES = [
  '[.]module[.]ts$',
  '[.]service[.]ts$',
  '[.-]port[.]ts$',
  '[.-]ports[.]ts$',
  '[.-]tokens?[.]ts$',
  '[.]types[.]ts$',
  '[.]errors[.]ts$',
];

/**
 * Today's crossings that the rules forbid, each with why it is still here. Only these exact
 * from → to imports are tolerated: a NEW crossing fails `npm run lint`, and an entry whose import
 * is gone is reported as stale, to be deleted here. Shrink this list; never grow it.
 * `kinds` is how the file imports (`value`, or `value+type` when it also has an `import type`).
 */
const KNOWN_VIOLATIONS = []; // empty since issue 13 item 1: every crossing goes through a port, a service or a types/errors file

/** An entry above in dependency-cruiser's baseline format (what `--output-type baseline` writes). */
function asBaselineEntry({ from, to, kinds }) {
  const relative = path.posix.relative(path.posix.dirname(from), to).replace(/[.]ts$/, '');
  return {
    type: 'dependency',
    from,
    to,
    unresolvedTo: relative.startsWith('.') ? relative : `./${relative}`,
    dependencyTypes: kinds === 'value+type' ? ['local', 'type-only', 'import'] : ['local', 'import'],
    rule: { severity: 'error', name: 'module-internals-stay-inside' },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-module',
      comment: 'src/platform is cross-cutting and knows no domain: a module may use the platform, never the other way round.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'module-internals-stay-inside',
      comment:
        'A module imports another module only through its *.module.ts, *.service.ts, port/token files or *.types.ts; ' +
        'its repositories, entities, mappers and other internal files stay inside it (declare a port instead).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', ...CROSSES_MODULES.map((end) => `^src/modules/[^/]+/.*${end}`)],
      },
    },
    {
      name: 'no-orphans',
      comment: 'A source file nothing imports and that imports nothing is dead code (or an entry point to list here).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)[.][^/]+[.](?:js|cjs|mjs|ts|json)$',
          '[.]d[.]ts$',
          '(^|/)tsconfig[.]json$',
          '^(?:eslint|jest)[.]config[.](?:js|cjs|mjs)$',
          '^migrations/',
        ],
      },
      to: {},
    },
  ],
  options: {
    baseline: { staleEntriesSeverity: 'error' },
    knownViolations: KNOWN_VIOLATIONS.map(asBaselineEntry),
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(?:dist|node_modules|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
  },
};

/**
 * Import rules checked by `npm run lint` (dependency-cruiser). Type-only imports count: a cycle through types is
 * still a cycle between modules.
 */
const RUNNER = '^packages/runner/src/';
/** A folder's public surface: its index.ts, or the index.ts of one of its sub-folders (e.g. events/serve/). */
const SURFACE = [`${RUNNER}[^/]+/index\\.ts$`, `${RUNNER}[^/]+/[^/]+/index\\.ts$`];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a loop (type-only and dynamic imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'runner-folder-surface',
      severity: 'error',
      comment:
        "A runner folder is used from outside only through its index.ts: import '../events/index.js', not '../events/sink.js'.",
      from: { path: `${RUNNER}([^/]+)/` },
      to: { path: `${RUNNER}[^/]+/.+`, pathNot: [`${RUNNER}$1/`, ...SURFACE] },
    },
    {
      name: 'runner-root-to-folder-surface',
      severity: 'error',
      comment: 'Files at the top of runner/src (cli.ts, index.ts...) use a folder only through its index.ts.',
      // commands/ is a folder of entry points: cli.ts loads one command module at a time.
      from: { path: `${RUNNER}[^/]+\\.ts$` },
      to: { path: `${RUNNER}[^/]+/.+`, pathNot: [...SURFACE, `${RUNNER}commands/[^/]+\\.ts$`] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/dist/', '/build/', 'node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
  },
};

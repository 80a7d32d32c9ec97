import { relative } from 'node:path';
import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { absolutePathOf, displayRootOf, importsOf } from './analyses.js';
import { rememberImports } from './import-cache.js';
import { findCycleThrough } from './cycles.js';

/**
 * Import cycles across files. Each file only knows its own tree, so the rule follows the import lists of
 * the files it reaches (from a bounded per-thread cache of path lists, never trees) and reports a cycle
 * only from the file with the smallest path on it, at its import of the next file: every cycle is reported
 * once, wherever the scan starts and however files are split between worker threads.
 */
export const importCycle = defineRule<{ maxFiles: number }>({
  meta: {
    description: 'Files import each other in a cycle.',
    severity: 'warning',
    defaultOptions: { maxFiles: 2000 },
    docs: {
      explanation:
        'A cycle of `import`s evaluates forever (infinite recursion) as soon as the values depend on each ' +
        'other, and even when laziness saves it, the structure is hard to follow. Move the shared part into a ' +
        'third file both import. The cycle is reported once, on the file whose path sorts first, at its import ' +
        'of the next file in the cycle. Option `maxFiles` bounds how many files one search visits.',
      bad: 'import ./example.nix',
      good: '{ value = 1; }',
      url: ruleDocsUrl('deps', 'import-cycle'),
    },
  },
  create(context) {
    return {
      onEnd() {
        const self = absolutePathOf(context.source);
        const refs = importsOf(context).filter((r) => r.exists);
        rememberImports(self, refs.map((r) => r.target));
        const done = new Set<string>();
        for (const ref of refs) {
          if (done.has(ref.target)) continue;
          done.add(ref.target);
          const cycle = findCycleThrough(self, ref.target, Number(context.options.maxFiles));
          if (!cycle) continue;
          const root = displayRootOf(context.source);
          const names = [...cycle, self].map((file) => relative(root, file) || file);
          context.report({ range: ref.range, message: `import cycle: ${names.join(' -> ')}`, symbol: ref.spec });
        }
      },
    };
  },
});

import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { collectDepsFacts, DEPS_FACTS_KEY, locationOfAt } from './facts.js';
import { resolvedImports, type DepsProject } from './project.js';

/** `import ./x.nix`, `callPackage ./dir { }` or `imports = [ ./a.nix ]` naming a file that does not exist. */
export const missingImport = defineRule({
  meta: {
    description: 'An imported file does not exist.',
    severity: 'error',
    docs: {
      explanation:
        '`import`, `callPackage` and module `imports`/`modules` lists name files by path; a missing target ' +
        'fails evaluation (often only on the code path that reaches it). A directory means its `default.nix`. ' +
        'Fix the path or add the file. Targets are checked against the file system of the current run, so ' +
        'deleting a file reports its importers even when they are unchanged and cached.',
      bad: 'import ./does-not-exist.nix',
      good: 'import ./default.nix',
      url: ruleDocsUrl('deps', 'missing-import'),
    },
  },
  factsKey: DEPS_FACTS_KEY,
  collect: collectDepsFacts,
  check(project: DepsProject) {
    for (const [file, refs] of resolvedImports(project)) {
      for (const ref of refs) {
        if (ref.exists) continue;
        const spec = ref.fact.spec;
        const what = ref.target.endsWith('/default.nix') && !spec.endsWith('default.nix') ? `${spec}/default.nix` : spec;
        const location = locationOfAt(ref.fact.at);
        project.report({ file, ...(location ? { location } : {}), message: `\`${what}\` does not exist`, symbol: spec, related: [ref.target] });
      }
    }
  },
});

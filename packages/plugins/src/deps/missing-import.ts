import { defineRule } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { importsOf } from './analyses.js';

/** `import ./x.nix`, `callPackage ./dir { }` or `imports = [ ./a.nix ]` naming a file that does not exist. */
export const missingImport = defineRule({
  meta: {
    description: 'An imported file does not exist.',
    severity: 'error',
    docs: {
      explanation:
        '`import`, `callPackage` and module `imports`/`modules` lists name files by path; a missing target ' +
        'fails evaluation (often only on the code path that reaches it). A directory means its `default.nix`. ' +
        'Fix the path or add the file.',
      bad: 'import ./does-not-exist.nix',
      good: 'import ./default.nix',
      url: ruleDocsUrl('deps', 'missing-import'),
    },
  },
  create(context) {
    return {
      onEnd() {
        for (const ref of importsOf(context)) {
          if (ref.exists) continue;
          const what = ref.target.endsWith('/default.nix') && !ref.spec.endsWith('default.nix') ? `${ref.spec}/default.nix` : ref.spec;
          context.report({ range: ref.range, message: `\`${what}\` does not exist`, symbol: ref.spec });
        }
      },
    };
  },
});

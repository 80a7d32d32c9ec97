import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { READER_NAMES, importFromDerivationAt } from '../security/ifd.js';
import { appliesNamed, syntaxIndex } from '../security/indexes.js';

/** Import from derivation: evaluation stops and waits for a build. */
export const importFromDerivation = defineRule({
  meta: {
    description: 'Evaluation waits for a build because it reads a derivation output (import from derivation).',
    severity: 'warning',
    messages: { blocksOnBuild: '`{{reader}}` of a derivation output blocks evaluation on a build' },
    docs: {
      explanation:
        'When evaluation imports or reads a file produced by a derivation, Nix must stop evaluating, build it ' +
        '(one at a time, without parallelism across such points), then continue. This makes `nix flake show`, ' +
        'search and CI evaluation slow. Generate the file ahead of time and commit it.',
      bad: 'builtins.readFile (pkgs.runCommand "version" { } "echo 1 > $out")',
      good: 'builtins.readFile ./version',
      url: ruleDocsUrl('performance', 'import-from-derivation'),
    },
  },
  create(context) {
    const check = (node: SyntaxNode): void => {
      const found = importFromDerivationAt(node, context.sourceText);
      if (found) context.report({ node: found.callee, messageId: 'blocksOnBuild', data: { reader: found.name } });
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), READER_NAMES)) check(node);
      },
    };
  },
});

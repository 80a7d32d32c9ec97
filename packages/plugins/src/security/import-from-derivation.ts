import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from './docs-url.js';
import { READER_NAMES, importFromDerivationAt } from './ifd.js';
import { appliesNamed, syntaxIndex } from './indexes.js';

/** Evaluation that builds derivations (import from derivation). */
export const importFromDerivation = defineRule({
  meta: {
    description: 'A file produced by a derivation is read during evaluation (import from derivation).',
    severity: 'warning',
    docs: {
      explanation:
        'Import from derivation makes evaluation run builds: code from the build output is evaluated, ' +
        '`nix flake check`/Hydra with `allow-import-from-derivation = false` refuse it, and evaluating no longer ' +
        'only reads trusted sources. Commit the generated Nix, or compute the value in Nix.',
      bad: 'import (pkgs.runCommand "gen" { } "echo 1 > $out")',
      good: 'import ./generated.nix',
      url: ruleDocsUrl('security', 'import-from-derivation'),
    },
  },
  create(context) {
    const check = (node: SyntaxNode): void => {
      const found = importFromDerivationAt(node, context.sourceText);
      if (found) context.report({ node: found.callee, message: `\`${found.name}\` of a derivation output: evaluation has to build it first` });
    };
    return {
      onEnd() {
        for (const node of appliesNamed(context.getAnalysis(syntaxIndex), READER_NAMES)) check(node);
      },
    };
  },
});

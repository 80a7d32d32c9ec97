import { defineRule, findSyntaxErrors } from '@nixforge/core';

/** Syntax errors from the grammar, minus its known gaps (which Nix accepts). */
export const syntaxError = defineRule({
  meta: {
    description: 'The file is not valid Nix syntax.',
    severity: 'error',
    docs: {
      explanation: 'Nix cannot parse the file. The position is where the parser first got stuck.',
      bad: 'let a = 1; in a +',
      good: 'let a = 1; in a + 1',
    },
  },
  create(context) {
    return {
      source_code() {
        for (const error of findSyntaxErrors(context.source)) {
          context.report({ node: error.node, message: error.message });
        }
      },
    };
  },
});

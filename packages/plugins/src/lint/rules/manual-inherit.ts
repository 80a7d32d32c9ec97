import { defineRule, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, field, plainAttrpath, rangeOf, variableName } from '../syntax.js';
import { dropsComments } from '../subtree.js';

/** `{ x = x; }` in a plain attribute set: `inherit x;` says the same. */
export const manualInherit = defineRule({
  meta: {
    description: 'An attribute assigned a variable of the same name (`x = x;`) instead of `inherit x;`.',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation:
        '`{ x = x; }` copies the variable `x` from the enclosing scope into the set; `inherit x;` does exactly ' +
        'that and says so. Only plain attribute sets are reported: in `let` and `rec` sets `x = x;` refers to ' +
        'itself (infinite recursion), which `inherit x;` would silently change.',
      bad: '{ pkgs }: { pkgs = pkgs; }',
      good: '{ pkgs }: { inherit pkgs; }',
    },
  },
  create(context) {
    return {
      attrset_expression(set: SyntaxNode) {
        for (const binding of bindingsOf(set)) {
          if (binding.type !== 'binding') continue;
          const key = plainAttrpath(context, field(binding, 'attrpath'));
          if (key?.length !== 1) continue;
          const name = key[0]!;
          if (variableName(context, field(binding, 'expression')) !== name) continue;
          context.report({
            node: binding,
            message: `This assignment is better written with \`inherit ${name};\``,
            symbol: name,
            fix: dropsComments(binding, [])
              ? undefined
              : { description: `replace with \`inherit ${name};\``, edits: [{ range: rangeOf(binding), text: `inherit ${name};` }] },
          });
        }
      },
    };
  },
});

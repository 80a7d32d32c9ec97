import { defineRule, type QueryMatch } from '@nixforge/core';
import { captured, field, plainAttrpath, rangeOf, variableName } from '../syntax.js';
import { dropsComments } from '../subtree.js';

// Single-name bindings of a plain (non-`rec`) attribute set whose value is a variable.
const QUERY = `(attrset_expression (binding_set binding: (binding attrpath: (attrpath . (identifier) .) expression: (variable_expression)) @binding))`;

/** `{ x = x; }` in a plain attribute set: `inherit x;` says the same. */
export const manualInherit = defineRule({
  meta: {
    description: 'An attribute assigned a variable of the same name (`x = x;`) instead of `inherit x;`.',
    severity: 'warning',
    messages: { manualInherit: 'This assignment is better written with `inherit {{name}};`' },
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
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const binding = captured(match, 'binding');
      if (binding) {
        const key = plainAttrpath(context, field(binding, 'attrpath'));
        if (key?.length !== 1) return;
        const name = key[0]!;
        if (variableName(context, field(binding, 'expression')) !== name) return;
        context.report({
          node: binding,
          messageId: 'manualInherit',
          data: { name },
          symbol: name,
          fix: dropsComments(binding, [])
            ? undefined
            : { description: `replace with \`inherit ${name};\``, edits: [{ range: rangeOf(binding), text: `inherit ${name};` }] },
        });
      }
    };
    return {
      onMatch,
    };
  },
});

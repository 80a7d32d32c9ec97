import { defineRule, type SyntaxNode } from '@nixforge/core';
import { field, plainAttrpath, variableName } from '../syntax.js';

/** `builtins.toPath` is deprecated. */
export const deprecatedToPath = defineRule({
  meta: {
    description: 'Use of the deprecated `builtins.toPath`.',
    severity: 'warning',
    docs: {
      explanation:
        '`builtins.toPath` is deprecated (see `:doc builtins.toPath` in the REPL): it only checks that a string ' +
        'is an absolute path. Use `/. + str` to make a path, or keep the string.',
      bad: '{ dir }: builtins.toPath "/etc/${dir}"',
      good: '{ dir }: /. + "/etc/${dir}"',
    },
  },
  create(context) {
    return {
      select_expression(node: SyntaxNode) {
        if (field(node, 'default')) return;
        if (variableName(context, field(node, 'expression')) !== 'builtins') return;
        const path = plainAttrpath(context, field(node, 'attrpath'));
        if (path?.length !== 1 || path[0] !== 'toPath') return;
        context.report({ node, message: '`builtins.toPath` is deprecated, see `:doc builtins.toPath` within the REPL' });
      },
      variable_expression(node: SyntaxNode) {
        if (variableName(context, node) !== '__toPath') return;
        context.report({ node, message: '`__toPath` (`builtins.toPath`) is deprecated, see `:doc builtins.toPath` within the REPL' });
      },
    };
  },
});

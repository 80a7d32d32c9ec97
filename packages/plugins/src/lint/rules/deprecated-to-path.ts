import { defineRule, type SyntaxNode } from '@nixforge/core';
import { isBuiltinSelect, isGlobalVariable } from '../syntax.js';

/** `builtins.toPath` is deprecated. */
export const deprecatedToPath = defineRule({
  meta: {
    description: 'Use of the deprecated `builtins.toPath`.',
    severity: 'warning',
    messages: {
      deprecatedToPath: '`builtins.toPath` is deprecated, see `:doc builtins.toPath` within the REPL',
      deprecatedUnderscoreToPath: '`__toPath` (`builtins.toPath`) is deprecated, see `:doc builtins.toPath` within the REPL',
    },
    docs: {
      explanation:
        '`builtins.toPath` is deprecated (see `:doc builtins.toPath` in the REPL): it only checks that a string ' +
        'is an absolute path. Use `/. + str` to make a path, or keep the string.',
      bad: '{ dir }: builtins.toPath "/etc/${dir}"',
      good: '{ dir }: /. + "/etc/${dir}"',
    },
  },
  create(context) {
    // Whole-file pre-check only to skip files that cannot contain a finding (most): no visitor is registered,
    // so no node is looked at. Detection itself is on the tree.
    if (!context.sourceText.includes('toPath')) return {};
    return {
      select_expression(node: SyntaxNode) {
        if (!isBuiltinSelect(context, node, 'toPath')) return;
        context.report({ node, messageId: 'deprecatedToPath' });
      },
      variable_expression(node: SyntaxNode) {
        if (!isGlobalVariable(context, node, '__toPath')) return;
        context.report({ node, messageId: 'deprecatedUnderscoreToPath' });
      },
    };
  },
});

import { defineRule, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { excerpt, field, isBuiltinSelect, isGlobalVariable, keepEdits, rangeOf } from '../syntax.js';
import { parensFor, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';

/** `isNull x` is deprecated; `x == null` says the same. */
export const deprecatedIsNull = defineRule({
  meta: {
    description: 'Use of the deprecated `isNull` instead of `== null`.',
    severity: 'warning',
    messages: { deprecatedIsNull: '`isNull` is deprecated, check equality with `null` instead: `{{simpler}}`' },
    fixable: true,
    docs: {
      explanation: '`isNull` is deprecated (see `:doc isNull` in the REPL); compare with `null` instead.',
      bad: '{ x }: isNull x',
      good: '{ x }: x == null',
    },
  },
  create(context) {
    // Whole-file pre-check only to skip files that cannot contain a finding (most): no visitor is registered,
    // so no node is looked at. Detection itself is on the tree.
    if (!context.sourceText.includes('isNull')) return {};
    return {
      apply_expression(node: SyntaxNode) {
        const fn = field(node, 'function');
        const argument = field(node, 'argument');
        if (!fn || !argument || !isIsNull(context, fn)) return;
        const simpler = `${excerpt(context, argument)} == null`;
        // `!isNull x` becomes `x != null`, not `!(x == null)`.
        const parent = node.parent;
        const negated = parent?.type === 'unary_expression' && context.sourceText[parent.startIndex] === '!' && field(parent, 'argument')?.id === node.id;
        const target = negated ? parent : node;
        const [open, close] = parensFor(target, Precedence.EQUALITY);
        const replacement = negated ? `${excerpt(context, argument)} != null` : simpler;
        context.report({
          node,
          messageId: 'deprecatedIsNull',
          data: { simpler },
          fix: dropsComments(target, [argument])
            ? undefined
            : {
                description: `replace with \`${replacement}\``,
                edits: keepEdits(context, rangeOf(target), [rangeOf(argument)], [open, ` ${negated ? '!=' : '=='} null${close}`]),
              },
        });
      },
    };
  },
});

function isIsNull(context: RuleContext, fn: SyntaxNode): boolean {
  return isGlobalVariable(context, fn, 'isNull') || isBuiltinSelect(context, fn, 'isNull');
}

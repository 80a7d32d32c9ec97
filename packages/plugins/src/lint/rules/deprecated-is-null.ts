import { defineRule, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { excerpt, field, keepEdits, plainAttrpath, rangeOf, variableName } from '../syntax.js';
import { parensFor, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';

/** `isNull x` is deprecated; `x == null` says the same. */
export const deprecatedIsNull = defineRule({
  meta: {
    description: 'Use of the deprecated `isNull` instead of `== null`.',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation: '`isNull` is deprecated (see `:doc isNull` in the REPL); compare with `null` instead.',
      bad: '{ x }: isNull x',
      good: '{ x }: x == null',
    },
  },
  create(context) {
    return {
      apply_expression(node: SyntaxNode) {
        const fn = field(node, 'function');
        const argument = field(node, 'argument');
        if (!fn || !argument || !isIsNull(context, fn)) return;
        const simpler = `${excerpt(context, argument)} == null`;
        const [open, close] = parensFor(node, Precedence.EQUALITY);
        context.report({
          node,
          message: `\`isNull\` is deprecated, check equality with \`null\` instead: \`${simpler}\``,
          fix: dropsComments(node, [argument])
            ? undefined
            : {
                description: `replace with \`${simpler}\``,
                edits: keepEdits(context, rangeOf(node), [rangeOf(argument)], [open, ` == null${close}`]),
              },
        });
      },
    };
  },
});

function isIsNull(context: RuleContext, fn: SyntaxNode): boolean {
  if (variableName(context, fn) === 'isNull') return true;
  if (fn.type !== 'select_expression' || field(fn, 'default')) return false;
  if (variableName(context, field(fn, 'expression')) !== 'builtins') return false;
  const path = plainAttrpath(context, field(fn, 'attrpath'));
  return path?.length === 1 && path[0] === 'isNull';
}

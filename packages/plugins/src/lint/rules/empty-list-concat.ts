import { defineRule, type SyntaxNode } from '@nixforge/core';
import { excerpt, field, keepEdits, operatorOf, rangeOf } from '../syntax.js';
import { parensFor, precedenceOf } from '../precedence.js';
import { dropsComments } from '../subtree.js';

/** `[] ++ xs` and `xs ++ []` are `xs`. */
export const emptyListConcat = defineRule({
  meta: {
    description: 'Concatenation with an empty list (`[] ++ xs`).',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation: 'Concatenating with `[]` returns the other list unchanged; drop the `[] ++`.',
      bad: '{ xs }: [ ] ++ xs',
      good: '{ xs }: xs',
    },
  },
  create(context) {
    return {
      binary_expression(node: SyntaxNode) {
        if (operatorOf(node) !== '++') return;
        const left = field(node, 'left');
        const right = field(node, 'right');
        if (!left || !right) return;
        const empty = isEmptyList(left) ? left : isEmptyList(right) ? right : undefined;
        if (!empty) return;
        const kept = empty === left ? right : left;
        context.report({
          node: empty,
          message: 'Concatenation with the empty list, `[]`, is a no-op',
          fix: dropsComments(node, [kept])
            ? undefined
            : {
                description: `replace with \`${excerpt(context, kept)}\``,
                edits: keepEdits(context, rangeOf(node), [rangeOf(kept)], parensFor(node, precedenceOf(kept))),
              },
        });
      },
    };
  },
});

function isEmptyList(node: SyntaxNode): boolean {
  return node.type === 'list_expression' && node.namedChildCount === 0;
}

import { defineRule, type QueryMatch, type SyntaxNode } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, rangeOf } from '../syntax.js';
import { parensFor, precedenceOf } from '../precedence.js';
import { dropsComments } from '../subtree.js';

const QUERY = `
    (binary_expression left: (list_expression) operator: "++") @concat
    (binary_expression operator: "++" right: (list_expression)) @concat`;

/** `[] ++ xs` and `xs ++ []` are `xs`. */
export const emptyListConcat = defineRule({
  meta: {
    description: 'Concatenation with an empty list (`[] ++ xs`).',
    severity: 'warning',
    messages: { emptyListConcat: 'Concatenation with the empty list, `[]`, is a no-op' },
    fixable: true,
    docs: {
      explanation: 'Concatenating with `[]` returns the other list unchanged; drop the `[] ++`.',
      bad: '{ xs }: [ ] ++ xs',
      good: '{ xs }: xs',
    },
  },
  query: QUERY,
  create(context) {
    const seen = new Set<number>();
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'concat');
      if (!node || seen.has(node.startIndex)) return;
      seen.add(node.startIndex);
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (!left || !right) return;
      const empty = isEmptyList(left) ? left : isEmptyList(right) ? right : undefined;
      if (!empty) return;
      const kept = empty === left ? right : left;
      context.report({
        node: empty,
        messageId: 'emptyListConcat',
        fix: dropsComments(node, [kept])
          ? undefined
          : {
              description: `replace with \`${excerpt(context, kept)}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(kept)], parensFor(node, precedenceOf(kept))),
            },
      });
    };
    return {
      onMatch,
    };
  },
});

function isEmptyList(node: SyntaxNode): boolean {
  return node.type === 'list_expression' && node.namedChildCount === 0;
}

import { defineRule, type QueryMatch } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, operatorOf, rangeOf } from '../syntax.js';
import { parensFor, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';

const NEGATED: Record<string, string> = { '==': '!=', '!=': '==' };

const QUERY = `(unary_expression operator: "!" argument: (parenthesized_expression expression: (binary_expression operator: ["==" "!="]))) @negation`;

/** `!(a == b)` is `a != b` (and `!(a != b)` is `a == b`). */
export const boolSimplification = defineRule({
  meta: {
    description: 'A negated equality test (`!(a == b)`) instead of the opposite operator (`a != b`).',
    severity: 'warning',
    messages: { negatedEquality: 'Try `{{simpler}}` instead of negating `{{operator}}`' },
    fixable: true,
    docs: {
      explanation: '`!(a == b)` reads more simply as `a != b`, and `!(a != b)` as `a == b`.',
      bad: '{ a, b }: !(a == b)',
      good: '{ a, b }: a != b',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'negation');
      if (!node) return;
      const parens = field(node, 'argument');
      if (parens?.type !== 'parenthesized_expression') return;
      const comparison = field(parens, 'expression');
      if (comparison?.type !== 'binary_expression') return;
      const opposite = NEGATED[operatorOf(comparison)];
      const left = field(comparison, 'left');
      const right = field(comparison, 'right');
      if (!opposite || !left || !right) return;
      const simpler = `${excerpt(context, left)} ${opposite} ${excerpt(context, right)}`;
      const [open, close] = parensFor(node, Precedence.EQUALITY);
      context.report({
        node,
        messageId: 'negatedEquality',
        data: { simpler, operator: operatorOf(comparison) },
        fix: dropsComments(node, [left, right])
          ? undefined
          : {
              description: `replace with \`${simpler}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(left), rangeOf(right)], [open, ` ${opposite} `, close]),
            },
      });
    };
    return {
      onMatch,
    };
  },
});

import { defineRule, type QueryMatch } from '@nixforge/core';
import { booleanLiteral, captured, excerpt, field, keepEdits, operatorOf, rangeOf } from '../syntax.js';
import { candidatePatterns, candidatesOf } from '../candidates.js';
import { parensBelow, parensFor, precedenceOf, Precedence } from '../precedence.js';
import { dropsComments } from '../subtree.js';

// Equality tests with a variable on either side; the visitor checks that it is the global `true`/`false`.
candidatePatterns('bool-comparison', `
    (binary_expression left: (variable_expression) operator: ["==" "!="]) @comparison
    (binary_expression operator: ["==" "!="] right: (variable_expression)) @comparison`);

/** `x == true`, `x != false` and friends: compare with a boolean literal instead of using the value. */
export const boolComparison = defineRule({
  meta: {
    description: 'Comparison with a boolean literal (`x == true`) instead of using the boolean itself.',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation:
        'Comparing a boolean with `true` or `false` adds nothing: `x == true` is `x` and `x == false` is `!x`. ' +
        'Use the value (or its negation) directly. Check before applying the fix when `x` may be `null` or ' +
        'another non-boolean: then `x == true` is `false` where `x` alone is an error.',
      bad: '{ enable }: if enable == true then "on" else "off"',
      good: '{ enable }: if enable then "on" else "off"',
    },
  },
  create(context) {
    const seen = new Set<number>();
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'comparison');
      if (!node || seen.has(node.startIndex)) return;
      seen.add(node.startIndex);
      const operator = operatorOf(node);
      const left = field(node, 'left');
      const right = field(node, 'right');
      if (!left || !right) return;
      const rightLiteral = booleanLiteral(context, right);
      const literal = rightLiteral ?? booleanLiteral(context, left);
      if (literal === undefined) return;
      const [operand, literalNode] = rightLiteral !== undefined ? [left, right] : [right, left];
      const keepsValue = (operator === '==') === literal;
      let between: [string, string];
      if (keepsValue) {
        between = parensFor(node, precedenceOf(operand));
      } else {
        const [outerOpen, outerClose] = parensFor(node, Precedence.NOT);
        // `!a + b` means `!(a + b)` in Nix, but few readers know that: parenthesise every operator operand.
        const [innerOpen, innerClose] =
          operand.type === 'binary_expression' ? ['(', ')'] : parensBelow(precedenceOf(operand), Precedence.NOT);
        between = [`${outerOpen}!${innerOpen}`, `${innerClose}${outerClose}`];
      }
      const shown = excerpt(context, operand);
      context.report({
        node,
        message: `Comparing \`${shown}\` with boolean literal \`${context.getText(literalNode)}\``,
        fix: dropsComments(node, [operand])
          ? undefined
          : {
              description: keepsValue ? `replace with \`${shown}\`` : `replace with \`!${shown}\``,
              edits: keepEdits(context, rangeOf(node), [rangeOf(operand)], between),
            },
      });
    };
    return {
      onEnd() {
        for (const match of candidatesOf(context, 'bool-comparison')) onMatch(match);
      },
    };
  },
});

import { defineRule, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { excerpt, field, keepEdits, rangeOf } from '../syntax.js';
import { parensBelow, parensFor, precedenceOf, Precedence } from '../precedence.js';
import { dropsComments, tokensOf } from '../subtree.js';

/** `if x ? a then x.a else d` is `x.a or d`. */
export const uselessHasAttr = defineRule({
  meta: {
    description: 'An `if` that tests for an attribute and then selects it (`if x ? a then x.a else d`).',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation: '`if x ? a then x.a else d` is what `x.a or d` does, in one expression.',
      bad: '{ x }: if x ? port then x.port else 80',
      good: '{ x }: x.port or 80',
    },
  },
  create(context) {
    return {
      if_expression(node: SyntaxNode) {
        const condition = field(node, 'condition');
        const consequence = field(node, 'consequence');
        const alternative = field(node, 'alternative');
        if (condition?.type !== 'has_attr_expression' || !alternative) return;
        if (consequence?.type !== 'select_expression' || field(consequence, 'default')) return;
        if (!selectsTestedAttribute(context, condition, consequence)) return;
        const [open, close] = parensFor(node, Precedence.SELECT);
        const [defaultOpen, defaultClose] = parensBelow(precedenceOf(alternative), Precedence.SELECT);
        const simpler = `${excerpt(context, consequence)} or ${defaultOpen}${excerpt(context, alternative)}${defaultClose}`;
        context.report({
          node,
          message: `Consider using \`${simpler}\` instead of this \`if\` expression`,
          fix: dropsComments(node, [consequence, alternative])
            ? undefined
            : {
                description: `replace with \`${simpler}\``,
                edits: keepEdits(
                  context,
                  rangeOf(node),
                  [rangeOf(consequence), rangeOf(alternative)],
                  [open, ` or ${defaultOpen}`, `${defaultClose}${close}`],
                ),
              },
        });
      },
    };
  },
});

/** True when `select` is exactly `<tested set>.<tested attrpath>`, compared token by token. */
function selectsTestedAttribute(context: RuleContext, test: SyntaxNode, select: SyntaxNode): boolean {
  const set = field(test, 'expression');
  const path = field(test, 'attrpath');
  if (!set || !path) return false;
  const expected = [...tokensOf(context, set), '.', ...tokensOf(context, path)];
  const actual = tokensOf(context, select);
  return expected.length === actual.length && expected.every((token, i) => token === actual[i]);
}

import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { captured, excerpt, field, keepEdits, rangeOf } from '../syntax.js';
import { parensBelow, parensFor, precedenceOf, Precedence } from '../precedence.js';
import { dropsComments, tokensOf } from '../subtree.js';

const QUERY = `(if_expression condition: (has_attr_expression) consequence: (select_expression)) @if`;

/** `if x ? a then x.a else d` is `x.a or d`. */
export const uselessHasAttr = defineRule({
  meta: {
    description: 'An `if` that tests for an attribute and then selects it (`if x ? a then x.a else d`).',
    severity: 'warning',
    messages: { uselessHasAttr: 'Consider using `{{simpler}}` instead of this `if` expression' },
    fixable: true,
    docs: {
      explanation: '`if x ? a then x.a else d` is what `x.a or d` does, in one expression.',
      bad: '{ x }: if x ? port then x.port else 80',
      good: '{ x }: x.port or 80',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'if');
      if (!node) return;
      const condition = field(node, 'condition');
      const consequence = field(node, 'consequence');
      const alternative = field(node, 'alternative');
      if (condition?.type !== 'has_attr_expression' || !alternative) return;
      // A case of an `if ... else if ...` chain reads as one of the chain's cases: `x.a or (if ...)` would
      // fold the rest of the chain into a default.
      if (alternative.type === 'if_expression' || node.parent?.type === 'if_expression') return;
      if (consequence?.type !== 'select_expression' || field(consequence, 'default')) return;
      if (!selectsTestedAttribute(context, condition, consequence)) return;
      const [open, close] = parensFor(node, Precedence.SELECT);
      const [defaultOpen, defaultClose] = parensBelow(precedenceOf(alternative), Precedence.SELECT);
      const simpler = `${excerpt(context, consequence)} or ${defaultOpen}${excerpt(context, alternative)}${defaultClose}`;
      context.report({
        node,
        messageId: 'uselessHasAttr',
        data: { simpler },
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
    };
    return {
      onMatch,
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

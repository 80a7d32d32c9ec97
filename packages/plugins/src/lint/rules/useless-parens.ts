import { defineRule, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { field, keepEdits, rangeOf } from '../syntax.js';
import { dropsComments } from '../subtree.js';

/** Expressions that never need parentheses around them (statix's "primitive expressions"). */
const PRIMITIVES = new Set([
  'variable_expression',
  'select_expression',
  'list_expression',
  'attrset_expression',
  'rec_attrset_expression',
  'string_expression',
  'indented_string_expression',
  'parenthesized_expression',
]);

/** Parentheses around a binding's value, a `let` body, or a primitive expression. */
export const uselessParens = defineRule({
  meta: {
    description: 'Parentheses that change nothing.',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation:
        'Parentheses around the value of a binding, the body of a `let`, or a primitive expression (a name, ' +
        'string, list, set or attribute selection) have no effect and only add noise.',
      bad: 'let a = (1 + 2); in a',
      good: 'let a = 1 + 2; in a',
    },
  },
  create(context) {
    // Parent nodes are visited before their children, so the context of a parenthesised expression is
    // recorded here, by start offset, instead of asking each node for its parent (which costs its depth).
    const decided = new Map<number, string | null>();
    const report = (node: SyntaxNode, message: string): void => {
      const inner = field(node, 'expression');
      if (!inner) return;
      context.report({
        node,
        message,
        fix: dropsComments(node, [inner])
          ? undefined
          : {
              description: 'remove the parentheses',
              edits: keepEdits(context, rangeOf(node), [rangeOf(inner)], separators(context, node)),
            },
      });
    };
    const decide = (node: SyntaxNode | undefined, message: string | null): void => {
      if (node?.type === 'parenthesized_expression') decided.set(node.startIndex, message);
    };
    return {
      binding(node: SyntaxNode) {
        decide(field(node, 'expression'), 'Useless parentheses around value in binding');
      },
      let_expression(node: SyntaxNode) {
        decide(field(node, 'body'), 'Useless parentheses around body of `let` expression');
      },
      select_expression(node: SyntaxNode) {
        // `(a.b or c).d` is not `a.b or c.d`: the `or` default would swallow the selection.
        const set = field(node, 'expression');
        const inner = set?.type === 'parenthesized_expression' ? field(set, 'expression') : undefined;
        if (inner?.type === 'select_expression' && field(inner, 'default')) decide(set, null);
      },
      parenthesized_expression(node: SyntaxNode) {
        const known = decided.get(node.startIndex);
        decided.delete(node.startIndex);
        if (known !== undefined) {
          if (known !== null) report(node, known);
          return;
        }
        const inner = field(node, 'expression');
        if (inner && PRIMITIVES.has(inner.type)) report(node, 'Useless parentheses around primitive expression');
      },
    };
  },
});

/** Characters after which code can follow without a space in between. */
const SEPARATES_BEFORE = /[\s([{;=,]/;
/** Characters before which code can end without a space in between. */
const SEPARATES_AFTER = /[\s)\]};,.]/;

/**
 * What replaces `(` and `)`: nothing, or a space where the inner code would otherwise run into its neighbour
 * and lex differently (`f(x)` must become `f x`, and `x:(y)` must not become the URI `x:y`).
 */
function separators(context: RuleContext, node: SyntaxNode): [string, string] {
  const text = context.sourceText;
  const before = node.startIndex > 0 ? text[node.startIndex - 1]! : ' ';
  const after = node.endIndex < text.length ? text[node.endIndex]! : ' ';
  return [SEPARATES_BEFORE.test(before) ? '' : ' ', SEPARATES_AFTER.test(after) ? '' : ' '];
}

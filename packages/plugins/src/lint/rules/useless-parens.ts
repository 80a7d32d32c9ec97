import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { captured, field, keepEdits, rangeOf } from '../syntax.js';
import { dropsComments } from '../subtree.js';

type MessageId = 'uselessParensAroundValue' | 'uselessParensAroundLetBody' | 'uselessParensAroundPrimitive';

/** The message of each query pattern; pattern 2 only vetoes. */
const PATTERN_MESSAGES: ReadonlyArray<MessageId | null> = ['uselessParensAroundValue', 'uselessParensAroundLetBody', null, 'uselessParensAroundPrimitive'];

// Pattern order matters: 0 and 1 give the messageId, 2 vetoes, 3 finds primitives (statix's three cases).
const QUERY = `
    (binding expression: (parenthesized_expression) @parens)
    (let_expression body: (parenthesized_expression) @parens)
    (select_expression expression: (parenthesized_expression expression: (select_expression default: (_))) @parens)
    (parenthesized_expression expression: [
      (variable_expression) (select_expression) (list_expression) (attrset_expression) (rec_attrset_expression)
      (string_expression) (indented_string_expression) (parenthesized_expression)
    ]) @parens`;

/** Parentheses around a binding's value, a `let` body, or a primitive expression. */
export const uselessParens = defineRule({
  meta: {
    description: 'Parentheses that change nothing.',
    severity: 'warning',
    messages: {
      uselessParensAroundValue: 'Useless parentheses around value in binding',
      uselessParensAroundLetBody: 'Useless parentheses around body of `let` expression',
      uselessParensAroundPrimitive: 'Useless parentheses around primitive expression',
    },
    fixable: true,
    docs: {
      explanation:
        'Parentheses around the value of a binding, the body of a `let`, or a primitive expression (a name, ' +
        'string, list, set or attribute selection) have no effect and only add noise. A selection with an ' +
        '`or` default is not a primitive: `f (x.y or d)`, `!(x.y or false)` and `(x.y or 5) + 3` keep their ' +
        'parentheses, which say where the default ends; nor is a selection from a group, `f ((g x).y)`. ' +
        'Parentheses that span lines are reported without a fix: removing them would join the lines.',
      bad: 'let a = (1 + 2); in a',
      good: 'let a = 1 + 2; in a',
    },
  },
  query: QUERY,
  create(context) {
    const verdicts = new Map<number, { node: SyntaxNode; messageId: MessageId | null }>();
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'parens');
      if (!node) return;
      const previous = verdicts.get(node.startIndex);
      if (match.pattern === 2) {
        // `(a.b or c).d` is not `a.b or c.d`: the `or` default would swallow the selection.
        verdicts.set(node.startIndex, { node, messageId: null });
      } else if (match.pattern === 3 && selectOfGroup(field(node, 'expression'))) {
        // `f ((g x).y)` without its parentheses, `f (g x).y`, reads as `(f (g x)).y`.
        return;
      } else if (match.pattern === 3 && isOrSelect(field(node, 'expression'))) {
        // `(x.y or d)` inside an operator or application reads wrongly without its parentheses
        // (`f (a.b or c) d`, `!(x or false)`, `(p.priority or 5) + 3`), and it is no primitive.
        return;
      } else if (previous === undefined) {
        verdicts.set(node.startIndex, { node, messageId: PATTERN_MESSAGES[match.pattern] ?? null });
      } else if (previous.messageId === 'uselessParensAroundPrimitive' && match.pattern < 2) {
        previous.messageId = match.pattern === 0 ? 'uselessParensAroundValue' : 'uselessParensAroundLetBody';
      }
    };
    return {
      onMatch,
      onEnd() {
        for (const { node, messageId } of verdicts.values()) {
          const inner = messageId ? field(node, 'expression') : undefined;
          if (!messageId || !inner) continue;
          context.report({
            node,
            messageId,
            // Multi-line parentheses hold the layout (`= (\n  a || b\n);`): removing them would join lines.
            fix: dropsComments(node, [inner]) || context.getText(node).includes('\n')
              ? undefined
              : {
                  description: 'remove the parentheses',
                  edits: keepEdits(context, rangeOf(node), [rangeOf(inner)], separators(context, node)),
                },
          });
        }
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

function isOrSelect(node: SyntaxNode | undefined): boolean {
  return node?.type === 'select_expression' && field(node, 'default') !== undefined;
}

/** `(g x).y`: a selection from a parenthesized expression. */
function selectOfGroup(node: SyntaxNode | undefined): boolean {
  return node?.type === 'select_expression' && field(node, 'expression')?.type === 'parenthesized_expression';
}

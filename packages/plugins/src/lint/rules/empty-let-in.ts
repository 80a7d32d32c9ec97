import { defineRule, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, captured, childOfType, field } from '../syntax.js';
import { dropsComments } from '../subtree.js';

// `let` directly followed by `in` or by a comment (then checked for bindings; no fix, it would drop the comment).
const QUERY = `(let_expression "let" . "in") @let (let_expression "let" . (comment)) @let`;

/** `let in x`: a `let` that binds nothing. */
export const emptyLetIn = defineRule({
  meta: {
    description: 'A `let ... in` that binds nothing.',
    severity: 'warning',
    messages: { emptyLetIn: 'This `let in` expression contains no bindings' },
    fixable: true,
    docs: {
      explanation: 'A `let` without bindings has no effect; write its body on its own.',
      bad: 'let in 42',
      good: '42',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (node: SyntaxNode): void => {
      if (bindingsOf(node).length > 0) return;
      const letToken = childOfType(node, 'let');
      const inToken = childOfType(node, 'in');
      const body = field(node, 'body');
      if (!letToken || !inToken || !body) return;
      context.report({
        range: { start: letToken.startIndex, end: inToken.endIndex },
        messageId: 'emptyLetIn',
        fix: dropsComments(node, [body])
          ? undefined
          : {
              description: 'remove the empty `let in`',
              edits: [{ range: { start: node.startIndex, end: body.startIndex }, text: '' }],
            },
      });
    };
    return {
      onMatch(match) {
        const node = captured(match, 'let');
        if (node) onMatch(node);
      },
    };
  },
});

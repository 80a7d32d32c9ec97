import { defineRule, type QueryMatch, type SyntaxNode } from '@nixforge/core';
import { captured, field } from '../syntax.js';
import { dropsComments } from '../subtree.js';

// The grammar parses `inherit;` with a MISSING identifier (Nix accepts it; see the guide's grammar gaps).
const QUERY = `[(inherit attrs: (inherited_attrs . (MISSING) .)) (inherit_from attrs: (inherited_attrs . (MISSING) .))] @inherit`;

/** `inherit;` and `inherit (x);`: inherits nothing. */
export const emptyInherit = defineRule({
  meta: {
    description: 'An `inherit` that names no attributes.',
    severity: 'warning',
    messages: { emptyInherit: 'Found empty `inherit` statement' },
    fixable: true,
    docs: {
      explanation: '`inherit;` and `inherit (set);` bring nothing into scope; remove them.',
      bad: '{ inherit; a = 1; }',
      good: '{ a = 1; }',
    },
  },
  query: QUERY,
  create(context) {
    const check = (node: SyntaxNode): void => {
      const attrs = field(node, 'attrs');
      if (attrs?.namedChildren.some((attr) => attr.type !== 'comment' && !attr.isMissing)) return;
      context.report({
        node,
        messageId: 'emptyInherit',
        fix: dropsComments(node, [])
          ? undefined
          : { description: 'remove the empty `inherit`', edits: [{ range: lineAwareRange(context.sourceText, node), text: '' }] },
      });
    };
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'inherit');
      if (node) check(node);
    };
    return {
      onMatch,
    };
  },
});

/** The node's range, widened to its whole line when nothing else is on that line. */
function lineAwareRange(text: string, node: SyntaxNode): { start: number; end: number } {
  let start = node.startIndex;
  let end = node.endIndex;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start -= 1;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end += 1;
  const startsLine = start === 0 || text[start - 1] === '\n';
  if (startsLine && text[end] === '\n') return { start, end: end + 1 };
  if (startsLine && end === text.length) return { start, end };
  // Mid-line: take the spaces on one side with it, so `{ inherit; a = 1; }` becomes `{ a = 1; }`.
  return end > node.endIndex ? { start: node.startIndex, end } : { start, end: node.endIndex };
}

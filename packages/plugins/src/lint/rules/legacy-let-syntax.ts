import { defineRule, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, captured, childOfType, field, plainAttrpath } from '../syntax.js';
import { isLanguageTestCase } from '../../shared/file-roles.js';
import { requiredPrecedence, Precedence } from '../precedence.js';

const QUERY = `(let_attrset_expression) @let`;

/** `let { ...; body = e; }`: the undocumented legacy form of `rec { ...; body = e; }.body`. */
export const legacyLetSyntax = defineRule({
  meta: {
    description: 'Legacy `let { ... }` syntax.',
    severity: 'warning',
    messages: { legacyLet: 'Prefer `rec` over undocumented `let` syntax' },
    fixable: true,
    docs: {
      explanation:
        '`let { a = 1; body = a; }` is an old, undocumented form that evaluates to the `body` attribute of a ' +
        'recursive set. Write `(rec { ... }).body`, or better a `let ... in` expression. Cases of Nix\'s own language test ' +
        'suite (`eval-okay-*.nix`, `parse-fail-*.nix`) keep it on purpose and are skipped.',
      bad: 'let { a = 1; body = a; }',
      good: '(rec { a = 1; body = a; }).body',
    },
  },
  query: QUERY,
  create(context) {
    if (isLanguageTestCase(context.filename)) return {};
    const check = (node: SyntaxNode): void => {
      const letToken = childOfType(node, 'let');
      const open = childOfType(node, '{');
      if (!letToken || !open) return;
      const hasBody = bindingsOf(node).some((binding) => {
        if (binding.type !== 'binding') return false;
        const key = plainAttrpath(context, field(binding, 'attrpath'));
        return key?.length === 1 && key[0] === 'body';
      });
      // `(rec { ... }).body` is a select; it needs one more pair of parentheses only where an atom is required.
      const wrap = requiredPrecedence(node) > Precedence.SELECT;
      context.report({
        range: { start: letToken.startIndex, end: open.endIndex },
        messageId: 'legacyLet',
        fix: hasBody
          ? {
              description: 'rewrite as `(rec { ... }).body`',
              edits: [
                { range: { start: letToken.startIndex, end: letToken.endIndex }, text: wrap ? '((rec' : '(rec' },
                { range: { start: node.endIndex, end: node.endIndex }, text: wrap ? ').body)' : ').body' },
              ],
            }
          : undefined,
      });
    };
    return {
      onMatch(match) {
        const node = captured(match, 'let');
        if (node) check(node);
      },
    };
  },
});

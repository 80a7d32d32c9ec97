import { defineRule, type QueryMatch, type SyntaxNode } from '@nixforge/core';
import { captured, field } from '../syntax.js';
import { dropsComments } from '../subtree.js';

const QUERY = `(function_expression formals: (formals !formal ellipses: (ellipses))) @function`;

/** `{ ... }@args: e` binds only `args`; `args: e` says the same. */
export const redundantPatternBind = defineRule({
  meta: {
    description: 'An `@` pattern whose set pattern binds nothing (`{ ... }@args:`).',
    severity: 'warning',
    messages: { redundantPatternBind: 'This pattern bind is redundant, use `{{name}}` instead' },
    fixable: true,
    docs: {
      explanation:
        '`{ ... }@args: e` accepts any set and names it `args`; the empty pattern adds nothing but the check ' +
        'that the argument is a set. Write `args: e`.',
      bad: 'map ({ ... }@args: args.name) [ { name = "a"; } ]',
      good: 'map (args: args.name) [ { name = "a"; } ]',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'function');
      if (!node) return;
      const formals = field(node, 'formals');
      const name = field(node, 'universal');
      if (!formals || !name || !field(formals, 'ellipses')) return;
      if (formals.childrenForFieldName('formal').length > 0) return;
      const range = {
        start: Math.min(formals.startIndex, name.startIndex),
        end: Math.max(formals.endIndex, name.endIndex),
      };
      const symbol = context.getText(name);
      context.report({
        range,
        messageId: 'redundantPatternBind',
        data: { name: symbol },
        symbol,
        fix: node.children.some((c: SyntaxNode) => c.type === 'comment' && c.startIndex < range.end) || dropsComments(formals, [])
          ? undefined
          : { description: `replace the pattern with \`${symbol}\``, edits: [{ range, text: symbol }] },
      });
    };
    return {
      onMatch,
    };
  },
});

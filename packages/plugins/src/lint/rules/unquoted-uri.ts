import { defineRule, type SyntaxNode } from '@nixforge/core';
import { captured, rangeOf } from '../syntax.js';
import { isLanguageTestCase } from '../../shared/file-roles.js';

const QUERY = `(uri_expression) @uri`;

/** `http://example.org`: an unquoted URI literal (deprecated, RFC 45). */
export const unquotedUri = defineRule({
  meta: {
    description: 'An unquoted URI literal.',
    severity: 'warning',
    messages: { unquotedUri: 'Found unquoted URI expression' },
    fixable: true,
    docs: {
      explanation:
        'Unquoted URIs are deprecated (RFC 45) and are an error with the `no-url-literals` experimental feature. ' +
        'Write URIs as strings. Cases of Nix\'s own language test suite (`eval-okay-*.nix`, `parse-okay-*.nix`) keep ' +
        'them on purpose and are skipped.',
      bad: '{ url = https://example.org/source.tar.gz; }',
      good: '{ url = "https://example.org/source.tar.gz"; }',
    },
  },
  query: QUERY,
  create(context) {
    if (isLanguageTestCase(context.filename)) return {};
    const check = (node: SyntaxNode): void => {
      const uri = context.getText(node);
      context.report({
        node,
        messageId: 'unquotedUri',
        fix: { description: 'quote the URI', edits: [{ range: rangeOf(node), text: `"${uri}"` }] },
      });
    };
    return {
      onMatch(match) {
        const node = captured(match, 'uri');
        if (node) check(node);
      },
    };
  },
});

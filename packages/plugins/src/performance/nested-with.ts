import { defineRule, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';
import { textOf } from '../security/syntax.js';
import { withHeader } from './with-large-scope.js';

/** A `with` inside the body of another `with`. */
export const nestedWith = defineRule({
  meta: {
    description: 'A `with` is nested inside another `with`.',
    severity: 'warning',
    messages: { nestedWith: '`with {{environment}};` is nested inside another `with`' },
    docs: {
      explanation:
        'Names inside nested `with`s are searched in several dynamic scopes, innermost first, at every lookup; ' +
        'which set provides a name is impossible to tell from the code. Keep one `with` at most, or better, ' +
        '`inherit` the names you need.',
      bad: 'with pkgs; with lib; [ hello (optional true git) ]',
      good: 'with pkgs; [ hello (lib.optional true git) ]',
      url: ruleDocsUrl('performance', 'nested-with'),
    },
  },
  create(context) {
    const bodies: number[] = [];
    return {
      with_expression(node: SyntaxNode) {
        // Every entry is an enclosing `with`; the node is nested when it lies in one's body, not its environment.
        if (bodies.some((bodyStart) => node.startIndex >= bodyStart)) {
          const env = node.childForFieldName('environment');
          context.report({
            range: withHeader(node),
            messageId: 'nestedWith',
            data: { environment: env ? textOf(env, context.sourceText) : '' },
          });
        }
        bodies.push(node.childForFieldName('body')?.startIndex ?? node.endIndex);
      },
      'with_expression:exit'() {
        bodies.pop();
      },
    };
  },
});

import { defineRule, scopeAnalysis, type Scope, type SyntaxNode } from '@nixforge/core';
import { ruleDocsUrl } from '../security/docs-url.js';

/** `rec { }` whose members never refer to each other. */
export const unneededRec = defineRule({
  meta: {
    description: 'A `rec` attribute set whose members never refer to each other.',
    severity: 'info',
    messages: { unneededRec: 'no member of this `rec` set refers to another: `rec` is not needed' },
    fixable: true,
    docs: {
      explanation:
        '`rec` makes every member visible to every other one. When none uses another, it only costs an extra ' +
        'scope, lets members shadow outer names by accident and invites infinite recursion later. Drop `rec`.',
      bad: 'rec { pname = "hello"; version = "1.0"; }',
      good: 'rec { pname = "hello"; version = "1.0"; name = "${pname}-${version}"; }',
      url: ruleDocsUrl('performance', 'unneeded-rec'),
    },
  },
  create(context) {
    let recScopes: Map<number, Scope> | undefined;
    const scopeOf = (node: SyntaxNode): Scope | undefined => {
      if (!recScopes) {
        const scopes = context.getAnalysis(scopeAnalysis);
        recScopes = new Map(scopes.scopes.filter((s) => s.kind === 'rec').map((s) => [s.range.start, s]));
      }
      return recScopes.get(node.startIndex);
    };
    return {
      rec_attrset_expression(node: SyntaxNode) {
        const scope = scopeOf(node);
        if (!scope) return;
        const analysis = context.getAnalysis(scopeAnalysis);
        for (const declaration of scope.declarations.values()) {
          if (analysis.usesOf(declaration).length > 0) return;
        }
        const keyword = node.child(0);
        const next = node.child(1);
        if (!keyword || keyword.type !== 'rec' || !next) return;
        context.report({
          node: keyword,
          messageId: 'unneededRec',
          fix: { description: 'remove `rec`', edits: [{ range: { start: keyword.startIndex, end: next.startIndex }, text: '' }] },
        });
      },
    };
  },
});

import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { bindingsOf, captured, field, plainAttrpath, rangeOf } from '../syntax.js';
import { candidatePatterns, candidatesOf } from '../candidates.js';
import { dropsComments } from '../subtree.js';

/** Top-level keys that mark a NixOS/home-manager module, where `{ ... }:` is the conventional header. */
const MODULE_KEYS = new Set(['imports', 'options', 'config', 'disabledModules', 'freeformType', '_file', '_class']);

// Only the variadic `{ ... }`: `{ }:` is not empty for nothing, it rejects any argument but `{ }`.
candidatePatterns('empty-pattern', `(function_expression formals: (formals !formal ellipses: (ellipses))) @function`);

/** `{ ... }: e` binds nothing; `_: e` says so. */
export const emptyPattern = defineRule({
  meta: {
    description: 'A function whose argument pattern binds nothing (`{ ... }:`).',
    severity: 'warning',
    fixable: true,
    docs: {
      explanation:
        'The variadic pattern without names, `{ ... }: e`, binds nothing; `_: e` says that the argument is ' +
        'ignored. Modules (functions returning a set with `imports`, `options`, `config`, `disabledModules`...) ' +
        'are not reported, since `{ ... }:` is their conventional header; nor is `{ }:`, which accepts only `{ }`.',
      bad: 'map ({ ... }: 42) [ { } ]',
      good: 'map (_: 42) [ { } ]',
    },
  },
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'function');
      if (!node) return;
      const formals = field(node, 'formals');
      if (!formals || field(node, 'universal')) return;
      if (formals.childrenForFieldName('formal').length > 0) return;
      if (looksLikeModule(context, field(node, 'body'))) return;
      context.report({
        node: formals,
        message: 'Found empty pattern in function argument',
        fix: dropsComments(formals, [])
          ? undefined
          : { description: 'replace the empty pattern with `_`', edits: [{ range: rangeOf(formals), text: '_' }] },
      });
    };
    return {
      onEnd() {
        for (const match of candidatesOf(context, 'empty-pattern')) onMatch(match);
      },
    };
  },
});

function looksLikeModule(context: RuleContext, body: SyntaxNode | undefined): boolean {
  let result = body;
  while (result?.type === 'let_expression') result = field(result, 'body');
  if (result?.type !== 'attrset_expression') return false;
  return bindingsOf(result).some((binding) => {
    const path = binding.type === 'binding' ? plainAttrpath(context, field(binding, 'attrpath')) : undefined;
    return path !== undefined && MODULE_KEYS.has(path[0]!);
  });
}

import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { captured, field, rangeOf } from '../syntax.js';
import { inModuleSlot, resultOf } from '../module-shape.js';
import { dropsComments } from '../subtree.js';


// Only the variadic `{ ... }`: `{ }:` is not empty for nothing, it rejects any argument but `{ }`.
const QUERY = `(function_expression formals: (formals !formal ellipses: (ellipses))) @function`;

/** `{ ... }: e` binds nothing; `_: e` says so. */
export const emptyPattern = defineRule({
  meta: {
    description: 'A function whose argument pattern binds nothing (`{ ... }:`).',
    severity: 'warning',
    messages: { emptyPattern: 'Found empty pattern in function argument' },
    fixable: true,
    docs: {
      explanation:
        'The variadic pattern without names, `{ ... }: e`, binds nothing; `_: e` says that the argument is ' +
        'ignored. Module-shaped functions are not reported, since `{ ... }:` is the conventional header of a ' +
        'module (NixOS, Home Manager, devenv, flake-parts...) and module checks expect it: functions returning ' +
        'an attribute set, the top-level function of a module file, and functions in module slots ' +
        '(`imports = [ ... ]`, `modules`, `perSystem`, `*Modules`). Nor is `{ }:`, which accepts only `{ }`.',
      bad: 'map ({ ... }: 42) [ { } ]',
      good: 'map (_: 42) [ { } ]',
    },
  },
  query: QUERY,
  create(context) {
    const onMatch = (match: QueryMatch): void => {
      const node = captured(match, 'function');
      if (!node) return;
      const formals = field(node, 'formals');
      if (!formals || field(node, 'universal')) return;
      if (formals.childrenForFieldName('formal').length > 0) return;
      if (looksLikeModule(context, node)) return;
      context.report({
        node: formals,
        messageId: 'emptyPattern',
        fix: dropsComments(formals, [])
          ? undefined
          : { description: 'replace the empty pattern with `_`', edits: [{ range: rangeOf(formals), text: '_' }] },
      });
    };
    return {
      onMatch,
    };
  },
});

function looksLikeModule(context: RuleContext, fn: SyntaxNode): boolean {
  const result = resultOf(fn.childForFieldName('body'));
  if (result?.type === 'attrset_expression' || result?.type === 'rec_attrset_expression') return true;
  return inModuleSlot(fn, context.sourceText, context.fileType);
}

import { defineRule, type QueryMatch, type RuleContext, type SyntaxNode } from '@nixforge/core';
import { captured, field, plainAttrpath, rangeOf } from '../syntax.js';
import { candidatePatterns, candidatesOf } from '../candidates.js';
import { dropsComments } from '../subtree.js';

/** File types whose top-level function is a module, where `{ ... }:` is the conventional header. */
const MODULE_FILES = new Set(['module', 'home-manager']);

/** Attributes whose value is a module or a list of modules (`imports = [ ({ ... }: { }) ];`, `perSystem`). */
const MODULE_SLOT = /^(imports|modules?|[a-zA-Z]*Modules?|perSystem|configuration|specialisation)$/;

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
        'ignored. Module-shaped functions are not reported, since `{ ... }:` is the conventional header of a ' +
        'module (NixOS, Home Manager, devenv, flake-parts...) and module checks expect it: functions returning ' +
        'an attribute set, the top-level function of a module file, and functions in module slots ' +
        '(`imports = [ ... ]`, `modules`, `perSystem`, `*Modules`). Nor is `{ }:`, which accepts only `{ }`.',
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
      if (looksLikeModule(context, node)) return;
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

/** Strips what does not change the shape of a function's result: parentheses, `let`, `with`, `assert`. */
function resultOf(body: SyntaxNode | undefined): SyntaxNode | undefined {
  let result = body;
  while (result) {
    if (result.type === 'parenthesized_expression') result = field(result, 'expression');
    else if (['let_expression', 'with_expression', 'assert_expression'].includes(result.type)) result = field(result, 'body');
    else return result;
  }
  return result;
}

function looksLikeModule(context: RuleContext, fn: SyntaxNode): boolean {
  const result = resultOf(field(fn, 'body'));
  if (result?.type === 'attrset_expression' || result?.type === 'rec_attrset_expression') return true;
  let outer = fn.parent;
  while (outer?.type === 'parenthesized_expression') outer = outer.parent;
  if (outer?.type === 'source_code') return MODULE_FILES.has(context.fileType);
  if (outer?.type === 'list_expression') outer = outer.parent;
  if (outer?.type !== 'binding') return false;
  const path = plainAttrpath(context, field(outer, 'attrpath'));
  return path !== undefined && path.some((name) => MODULE_SLOT.test(name));
}

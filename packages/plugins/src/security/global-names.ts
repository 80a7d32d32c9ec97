import { scopeAnalysis, type RuleContext, type SyntaxNode } from '@nixforge/core';

/**
 * True when the variable at the start of `node` (`builtins` in `builtins.fetchurl`, or `fetchTarball`)
 * refers to Nix's global builtin rather than a local binding such as `let builtins = ...;` or a lambda
 * argument. Uses the shared scope analysis, computed only when a rule actually has a candidate to check.
 */
export function refersToGlobal(context: RuleContext<any>, node: SyntaxNode): boolean {
  const references = context.getAnalysis(scopeAnalysis).references;
  const start = node.startIndex;
  let low = 0;
  let high = references.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const reference = references[middle]!;
    if (reference.range.start < start) low = middle + 1;
    else if (reference.range.start > start) high = middle - 1;
    else return reference.resolution === 'builtin';
  }
  return true;
}

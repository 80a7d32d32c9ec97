import { scopeAnalysis, type Resolution, type RuleContext, type SyntaxNode } from '@nixforge/core';

/**
 * How the variable at the start of `node` resolves (`builtins` in `builtins.fetchurl`, or `fetchurl`): to
 * Nix's global builtins, a local declaration, an enclosing `with`, or nothing. Uses the shared scope
 * analysis, which rules ask for only when they have a candidate, so files without one never pay for it.
 * Undefined when no reference starts there.
 */
export function resolutionAt(context: RuleContext<any>, node: SyntaxNode): Resolution | undefined {
  const references = context.getAnalysis(scopeAnalysis).references;
  const start = node.startIndex;
  let low = 0;
  let high = references.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const reference = references[middle]!;
    if (reference.range.start < start) low = middle + 1;
    else if (reference.range.start > start) high = middle - 1;
    else return reference.resolution;
  }
  return undefined;
}

/** True unless the name at the start of `node` is bound locally (`let builtins = ...;`, `builtins: ...`). */
export function refersToGlobal(context: RuleContext<any>, node: SyntaxNode): boolean {
  const resolution = resolutionAt(context, node);
  return resolution === undefined || resolution === 'builtin';
}

/** True when the name at the start of `node` is a `let` binding of this file: a local wrapper, not the library's. */
export function isLetBound(context: RuleContext<any>, node: SyntaxNode): boolean {
  const resolution = resolutionAt(context, node);
  return typeof resolution === 'object' && (resolution.kind === 'let' || resolution.kind === 'legacy-let');
}

import { scopeAnalysis, type Declaration, type Reference, type RuleContext, type SyntaxNode } from '@nixforge/core';

/** The reference whose identifier starts at `offset`, found by binary search in the shared scope analysis. */
export function referenceAt(context: RuleContext, offset: number): Reference | undefined {
  const references = context.getAnalysis(scopeAnalysis).references;
  let low = 0;
  let high = references.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const start = references[mid]!.range.start;
    if (start === offset) return references[mid];
    if (start < offset) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/**
 * True when the variable `node` names Nix's global of that name (`true`, `isNull`, `builtins`...), not a
 * local binding that shadows it. Without scope information (a reference the analysis did not record) the
 * name is taken at face value.
 */
export function isGlobal(context: RuleContext, node: SyntaxNode): boolean {
  const identifier = node.type === 'variable_expression' ? node.childForFieldName('name') : node;
  if (!identifier) return false;
  const reference = referenceAt(context, identifier.startIndex);
  return reference === undefined || reference.resolution === 'builtin';
}

/** The declaration made by the identifier at `nameNode` (a lambda argument, formal, binding name...). */
export function declarationAt(context: RuleContext, nameNode: SyntaxNode): Declaration | undefined {
  const analysis = context.getAnalysis(scopeAnalysis);
  const declaration = analysis.scopeAt(nameNode.startIndex).declarations.get(context.getText(nameNode));
  return declaration?.nameRange.start === nameNode.startIndex ? declaration : undefined;
}

/** True when some use of `declaration` lies inside `node`. */
export function isUsedIn(context: RuleContext, declaration: Declaration, node: SyntaxNode): boolean {
  return context
    .getAnalysis(scopeAnalysis)
    .usesOf(declaration)
    .some((use) => use.range.start >= node.startIndex && use.range.end <= node.endIndex);
}

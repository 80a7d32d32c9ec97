import type { ScopeAnalysisResult, SourceFile, SyntaxNode } from '@nixforge/core';
import type { NixDiagnostic } from './diagnostic.js';
import { nixMessage } from './messages.js';

/**
 * `undefined variable`: names no lexical binding, builtin or enclosing `with` provides. Nix places the
 * implicit use of `inherit x;` at the start of the enclosing bindings (just after `{`, `rec {` or `let`),
 * so that is its `nixOffset`; we report the name itself.
 */
export function undefinedNameDiagnostics(scopes: ScopeAnalysisResult, source: SourceFile): NixDiagnostic[] {
  const diagnostics: NixDiagnostic[] = [];
  for (const reference of scopes.references) {
    if (reference.resolution !== undefined) continue;
    const nixOffset = reference.fromInherit ? bindingsStart(source, reference.range.start) : reference.range.start;
    diagnostics.push({
      ...nixMessage('undefined-variable', 'undefinedVariable', { name: reference.name }),
      range: reference.range,
      symbol: reference.name,
      nixOffset,
      phase: 'bind',
      detectedAt: reference.range.start,
    });
  }
  return diagnostics;
}

function bindingsStart(source: SourceFile, offset: number): number {
  let node: SyntaxNode | null = source.tree.rootNode.descendantForIndex(offset);
  while (node !== null && node.type !== 'binding_set') node = node.parent;
  const container = node?.parent;
  if (!container) return offset;
  if (container.type === 'rec_attrset_expression' || container.type === 'let_attrset_expression') {
    for (const child of container.children) if (child.type === '{') return child.startIndex;
  }
  return container.startIndex;
}

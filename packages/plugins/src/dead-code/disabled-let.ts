import type { Declaration, SourceFile, SyntaxNode } from '@nixforge/core';

/**
 * A `let` whose use is commented out: none of its bindings is used, and a comment between `in` and the body
 * names one of them (`in # directives;\n lib.types.anything`). The author disabled the block on purpose and
 * keeps it to switch back; reporting each binding would be noise.
 */
export function inDisabledLet(declaration: Declaration, dead: ReadonlySet<Declaration>, source: SourceFile): boolean {
  const scope = declaration.scope;
  if (scope.kind !== 'let') return false;
  const names: string[] = [];
  for (const d of scope.declarations.values()) {
    if (!dead.has(d)) return false;
    names.push(d.name);
  }
  let node: SyntaxNode | null = source.tree.rootNode.descendantForIndex(scope.range.start, scope.range.end);
  while (node !== null && node.type !== 'let_expression') node = node.parent;
  const body = node?.childForFieldName('body');
  if (!node || !body) return false;
  const bindings = node.namedChildren.find((child) => child.type === 'binding_set');
  const gap = source.text.slice(bindings?.endIndex ?? node.startIndex, body.startIndex);
  const comments = gap.match(/#[^\n]*|\/\*[\s\S]*?\*\//g) ?? [];
  return comments.some((comment) => names.some((name) => new RegExp(`(^|[^\\w'-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w'-])`).test(comment)));
}

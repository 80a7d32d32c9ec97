import type { SyntaxNode } from '@nixforge/core';

/** Children of `node` that are not comments. */
export function codeChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((child) => child.type !== 'comment');
}

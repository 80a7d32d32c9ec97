import type { SyntaxTree } from './syntax-tree.js';

/**
 * Visits every node of `tree` in one pass over its arrays, in pre-order (the arrays' order): `enter` as the
 * index reaches a node, `leave` once the index passes the node's subtree, with the node's depth (root 0).
 * No recursion and no node objects, so 20,000-level nesting and large files cost only the arrays' reads.
 */
export function walkPreOrder(
  tree: SyntaxTree,
  enter: (index: number, depth: number) => void,
  leave: (index: number, depth: number) => void,
): void {
  const { count, subtreeEnds } = tree;
  const open: number[] = [];
  let top = -1;
  for (let i = 0; i < count; i += 1) {
    while (top >= 0 && subtreeEnds[open[top]!]! <= i) {
      leave(open[top]!, top);
      top -= 1;
    }
    top += 1;
    open[top] = i;
    enter(i, top);
  }
  for (; top >= 0; top -= 1) leave(open[top]!, top);
}

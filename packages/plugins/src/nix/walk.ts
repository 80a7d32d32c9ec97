import type { SyntaxNode, SyntaxTree } from '@nixforge/core';

/** The node a walk is at, read from the tree's arrays (a TreeCursor's read-only members). */
export class WalkPosition {
  /** Index of the current node in the tree's arrays. */
  index = 0;
  /** Depth of the current node (the root is at 0). */
  depth = 0;

  constructor(readonly tree: SyntaxTree) {}

  get nodeType(): string {
    return this.tree.typeOf(this.index);
  }

  /** The node's grammar symbol (`tree.kinds`). */
  get kind(): number {
    return this.tree.kinds[this.index]!;
  }

  get startIndex(): number {
    return this.tree.starts[this.index]!;
  }

  get endIndex(): number {
    return this.tree.ends[this.index]!;
  }

  get currentNode(): SyntaxNode {
    return this.tree.node(this.index);
  }
}

/**
 * Core's `walkPreOrder` with the node read through `position`, which is at the node being entered or left;
 * the loop is written out so that `enter` and `leave` are called directly, not through closures.
 */
export function walkTree(tree: SyntaxTree, enter: (position: WalkPosition) => void, leave: (position: WalkPosition) => void): void {
  const position = new WalkPosition(tree);
  const { count, subtreeEnds } = tree;
  const open: number[] = [];
  let top = -1;
  for (let i = 0; i < count; i += 1) {
    while (top >= 0 && subtreeEnds[open[top]!]! <= i) {
      position.index = open[top]!;
      position.depth = top;
      leave(position);
      top -= 1;
    }
    top += 1;
    open[top] = i;
    position.index = i;
    position.depth = top;
    enter(position);
  }
  for (; top >= 0; top -= 1) {
    position.index = open[top]!;
    position.depth = top;
    leave(position);
  }
}

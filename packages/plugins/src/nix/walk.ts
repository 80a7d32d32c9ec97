import { walkPreOrder, type SyntaxNode, type SyntaxTree } from '@nixforge/core';

/** The node a walk is at, read from the tree's arrays (a TreeCursor's read-only members). */
export class WalkPosition {
  /** Index of the current node in the tree's arrays. */
  index = 0;

  constructor(private readonly tree: SyntaxTree) {}

  get nodeType(): string {
    return this.tree.typeOf(this.index);
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

/** `walkPreOrder` with the node read through `position`, which is at the node being entered or left. */
export function walkTree(tree: SyntaxTree, enter: (position: WalkPosition) => void, leave: (position: WalkPosition) => void): void {
  const position = new WalkPosition(tree);
  walkPreOrder(
    tree,
    (index) => {
      position.index = index;
      enter(position);
    },
    (index) => {
      position.index = index;
      leave(position);
    },
  );
}

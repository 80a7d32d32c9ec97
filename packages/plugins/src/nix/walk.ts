import type { TreeCursor } from '@nixforge/core';

/**
 * Visits every node with a TreeCursor, iteratively (files nest 20,000+ levels deep). `enter` and `leave`
 * read the cursor's current node; they must not move it.
 */
export function walkTree(cursor: TreeCursor, enter: (cursor: TreeCursor) => void, leave: (cursor: TreeCursor) => void): void {
  for (;;) {
    enter(cursor);
    if (cursor.gotoFirstChild()) continue;
    for (;;) {
      leave(cursor);
      if (cursor.gotoNextSibling()) break;
      if (!cursor.gotoParent()) return;
    }
  }
}

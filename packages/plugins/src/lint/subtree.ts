import type { RuleContext, SyntaxNode, TextRange, TreeCursor } from '@nixforge/core';

/**
 * Visits `node` and its descendants in document order with a cursor, without recursion (trees nest 20,000+
 * levels deep). `visit` returns false to skip the children of the current node, or 'stop' to end the walk.
 */
export function walkSubtree(node: SyntaxNode, visit: (cursor: TreeCursor) => boolean | 'stop' | void): void {
  const cursor = node.walk();
  let depth = 0;
  for (;;) {
    const verdict = visit(cursor);
    if (verdict === 'stop') return;
    if (verdict !== false && cursor.gotoFirstChild()) {
      depth += 1;
      continue;
    }
    for (;;) {
      if (depth === 0) return;
      if (cursor.gotoNextSibling()) break;
      cursor.gotoParent();
      depth -= 1;
    }
  }
}

/** True when replacing `node` by the text of the `kept` ranges inside it would drop a comment. */
export function dropsComments(node: SyntaxNode, kept: ReadonlyArray<SyntaxNode | TextRange>): boolean {
  const keptRanges = kept.map((k) => ('startIndex' in k ? { start: k.startIndex, end: k.endIndex } : k));
  let found = false;
  walkSubtree(node, (cursor) => {
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (keptRanges.some((k) => k.start <= start && end <= k.end)) return false;
    if (cursor.nodeType === 'comment') {
      found = true;
      return 'stop';
    }
    return true;
  });
  return found;
}

/** The tokens of `node` (leaves, comments excluded), for comparing expressions regardless of layout. */
export function tokensOf(context: RuleContext, node: SyntaxNode): string[] {
  const tokens: string[] = [];
  walkSubtree(node, (cursor) => {
    if (cursor.nodeType === 'comment') return false;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (cursor.currentNode.childCount === 0) tokens.push(context.getText({ start, end }));
    return true;
  });
  return tokens;
}

/**
 * True when `name` is read anywhere inside `node`: as a variable or as a plain `inherit name;`.
 * Shadowing is ignored, so the answer errs towards "used" (rules using it then stay silent).
 */
export function mentionsName(context: RuleContext, node: SyntaxNode, names: ReadonlySet<string>): boolean {
  let found = false;
  walkSubtree(node, (cursor) => {
    const type = cursor.nodeType;
    if (type === 'variable_expression' || type === 'inherited_attrs') {
      for (const child of cursor.currentNode.namedChildren) {
        if (child.type === 'identifier' && names.has(context.getText(child))) {
          if (type === 'variable_expression' || cursor.currentNode.parent?.type === 'inherit') {
            found = true;
            return 'stop';
          }
        }
      }
    }
    return true;
  });
  return found;
}

import type { SyntaxNode, SyntaxTree } from './tree-sitter.js';
import type { SourceFile } from './source.js';

/** A syntax error the grammar found and that is not one of its known gaps. */
export interface SyntaxErrorInfo {
  node: SyntaxNode;
  message: string;
}

/** Empty `inherit;` / `inherit (x);` parse with a MISSING identifier although Nix accepts them. */
function isEmptyInherit(node: SyntaxNode): boolean {
  const parent = node.parent;
  return (
    node.isMissing &&
    parent !== null &&
    parent.type === 'inherited_attrs' &&
    parent.namedChildren.every((c) => c.isMissing)
  );
}

/** The experimental pipe operators `|>` and `<|` are missing from the grammar. */
function isPipeOperator(node: SyntaxNode, text: string): boolean {
  const start = node.startIndex;
  const two = text.slice(start, start + 2);
  if (two === '|>' || two === '<|') return true;
  const prev = text.slice(Math.max(0, start - 1), start + 1);
  return prev === '|>' || prev === '<|';
}

function describe(node: SyntaxNode, text: string): string {
  if (node.isMissing) return `syntax error, missing ${node.type === 'identifier' ? 'identifier' : `'${node.type}'`}`;
  if (node.startIndex >= text.length) return 'syntax error, unexpected end of file';
  const token = text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 20)).split(/\s/)[0] ?? '';
  return token ? `syntax error, unexpected '${token}'` : 'syntax error';
}

/**
 * The outermost ERROR and MISSING nodes of a tree, in document order: one pass over the node arrays that
 * skips every subtree without errors and the subtree of every error it reports (an ERROR node's inner errors
 * are part of it).
 */
export function outermostErrorNodes(tree: SyntaxTree): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let i = 0; i < tree.count; i += 1) {
    if (tree.isMissing(i) || tree.isError(i)) found.push(tree.node(i));
    else if (tree.hasError(i)) continue;
    // Past an error, or a subtree without any: skip to its end.
    i = tree.subtreeEnds[i]! - 1;
  }
  return found;
}

/** Finds ERROR and MISSING nodes, outermost only, skipping the grammar's known gaps. */
export function findSyntaxErrors(source: SourceFile): SyntaxErrorInfo[] {
  const text = source.text;
  const errors: SyntaxErrorInfo[] = [];
  for (const node of outermostErrorNodes(source.tree)) {
    if (node.isMissing ? isEmptyInherit(node) : isPipeOperator(node, text)) continue;
    errors.push({ node, message: describe(node, text) });
  }
  return errors;
}

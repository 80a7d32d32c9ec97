import type { SyntaxNode } from './tree-sitter.js';
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
 * Finds ERROR and MISSING nodes, outermost only, skipping the grammar's known gaps. Descends only into
 * subtrees that contain an error, with an explicit stack (no recursion).
 */
export function findSyntaxErrors(source: SourceFile): SyntaxErrorInfo[] {
  const root = source.tree.rootNode;
  if (!root.hasError) return [];
  const text = source.text;
  const errors: SyntaxErrorInfo[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isMissing) {
      if (!isEmptyInherit(node)) errors.push({ node, message: describe(node, text) });
      continue;
    }
    if (node.type === 'ERROR') {
      if (!isPipeOperator(node, text)) errors.push({ node, message: describe(node, text) });
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  errors.sort((a, b) => a.node.startIndex - b.node.startIndex);
  return errors;
}

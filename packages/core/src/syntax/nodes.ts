import type { TextRange } from '../positions.js';
import type { QueryMatch, SyntaxNode } from '../tree-sitter.js';

/*
 * Small, non-recursive readers of single nodes. Helpers that need node text take the file text
 * (`context.sourceText`): node text must be read from the user's file, not from `node.text`, which reads the
 * parser's prepared copy (trailing formals commas blanked). Readers of an optional node take null or undefined
 * too (what `childForFieldName` and `field` return) and then find nothing.
 */

/** The child in field `name` (`field(apply, 'function')`), or undefined when the field is empty. */
export function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.childForFieldName(name) ?? undefined;
}

/** The first child of `node` whose type is `type`, anonymous tokens included (`childOfType(let, 'in')`). */
export function childOfType(node: SyntaxNode, type: string): SyntaxNode | undefined {
  for (const child of node.children) if (child.type === type) return child;
  return undefined;
}

/** Skips parentheses inward: `((x))` -> `x`. */
export function unparen(node: SyntaxNode | null | undefined): SyntaxNode | null {
  let current = node ?? null;
  while (current && current.type === 'parenthesized_expression') current = current.childForFieldName('expression');
  return current;
}

/** The node's text in the user's file `text`. */
export function textOf(node: SyntaxNode, text: string): string {
  return text.slice(node.startIndex, node.endIndex);
}

/** The node's offset range, as `report({ range })` and fix edits take it. */
export function rangeOf(node: SyntaxNode): TextRange {
  return { start: node.startIndex, end: node.endIndex };
}

/** The operator token (`==`, `!`, `?`...) of a `binary_expression`, `unary_expression` or `has_attr_expression`; '' otherwise. */
export function operatorOf(node: SyntaxNode): string {
  return node.childForFieldName('operator')?.type ?? '';
}

/** The node captured as `@name` in a query match, or undefined when that capture did not match. */
export function captured(match: QueryMatch, name: string): SyntaxNode | undefined {
  return match.captures.find((capture) => capture.name === name)?.node;
}
